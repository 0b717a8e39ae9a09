// snappyjs's block decompressor alone: its index also bundles the compressor, which chartship never runs.
declare module 'snappyjs/snappy_decompressor.js' {
  export class SnappyDecompressor {
    constructor(compressed: Uint8Array);
    /** The length the block says it decompresses to; -1 when its header is unreadable. */
    readUncompressedLength(): number;
    /** False when the block is corrupt. */
    uncompressToBuffer(out: Uint8Array): boolean;
  }
}

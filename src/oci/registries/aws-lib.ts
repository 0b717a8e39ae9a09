// The AWS libraries chartship's ECR support uses, a chunk of its own in dist/chunks/ (scripts/build.mjs), loaded only
// when an ECR host needs it: the SDK's default credential chain, its SigV4 signer, and an XML reader for STS answers.
export { defaultProvider } from '@aws-sdk/credential-provider-node';
export { SignatureV4 } from '@smithy/signature-v4';
export { XMLParser } from 'fast-xml-parser';

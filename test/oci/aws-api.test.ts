import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsEndpoint } from '../../src/oci/registries/aws-api.js';

describe('AWS endpoints for ECR and STS', () => {
  it('are the regional names AWS gives them, in China under amazonaws.com.cn', () => {
    assert.equal(awsEndpoint('ecr', 'eu-west-1', {}).href, 'https://api.ecr.eu-west-1.amazonaws.com/');
    assert.equal(awsEndpoint('sts', 'eu-west-1', {}).href, 'https://sts.eu-west-1.amazonaws.com/');
    assert.equal(awsEndpoint('ecr', 'cn-north-1', {}).href, 'https://api.ecr.cn-north-1.amazonaws.com.cn/');
  });

  it('are the FIPS ones with AWS_USE_FIPS_ENDPOINT=true', () => {
    assert.equal(awsEndpoint('ecr', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }).href, 'https://ecr-fips.us-east-1.amazonaws.com/');
    assert.equal(awsEndpoint('sts', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }).href, 'https://sts-fips.us-east-1.amazonaws.com/');
  });

  it('follow AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL, and a value that is no URL fails naming the variable', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9000' };
    assert.equal(awsEndpoint('ecr', 'us-east-1', env).href, 'http://127.0.0.1:9000/');
    assert.equal(awsEndpoint('sts', 'us-east-1', env).href, 'http://127.0.0.1:4566/');
    assert.throws(() => awsEndpoint('sts', 'us-east-1', { AWS_ENDPOINT_URL_STS: 'not a url' }), /AWS_ENDPOINT_URL_STS is not a URL: "not a url"/);
  });
});

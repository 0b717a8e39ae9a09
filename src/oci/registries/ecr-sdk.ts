// The part of the AWS SDK chartship uses, a chunk of its own in dist/chunks/ (scripts/build.mjs), loaded only
// when an ECR host needs it: the SDK is larger than the rest of chartship, and every start would otherwise parse it.
export { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

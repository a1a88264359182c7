/** Whether the aws provider will find credentials on this machine, checked in the AWS SDK's own order. */
import { join } from "node:path";
import { NotReadyError } from "../../model/errors.js";
import type { CredentialSource, Env, FileProbe } from "../contract.js";
import { isSet, missing } from "../env-vars.js";

/**
 * AWS, as the AWS SDK's default chain finds credentials: keys in the environment, a profile, the shared
 * files, web identity (EKS, CI OIDC) or a container's credentials. An EC2 instance profile cannot be seen
 * from here; --no-credentials-check is for those machines.
 */
export function awsCredentials(env: Env, files: FileProbe): CredentialSource {
  if (isSet(env, "AWS_ACCESS_KEY_ID") || isSet(env, "AWS_SECRET_ACCESS_KEY")) {
    const absent = missing(env, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    if (absent.length > 0) throw new NotReadyError(`AWS credentials: access keys need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; ${absent.join(", ")} is not set`);
    return "access keys (AWS_ACCESS_KEY_ID)";
  }
  if (isSet(env, "AWS_PROFILE")) return `the profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (isSet(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && isSet(env, "AWS_ROLE_ARN")) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (isSet(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || isSet(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) return "the container's credentials";
  const shared = [env.AWS_SHARED_CREDENTIALS_FILE || join(files.home, ".aws", "credentials"), env.AWS_CONFIG_FILE || join(files.home, ".aws", "config")];
  const found = shared.find((file) => /^\s*\[\s*(profile\s+)?default\s*\]/m.test(files.readText(file) ?? ""));
  if (found) return `the default profile in ${found}`;
  throw new NotReadyError(
    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (a profile in ~/.aws), or configure a default profile with `aws configure`; " +
      "on an EC2 instance with an instance profile, add --no-credentials-check",
  );
}

/** Where the aws provider will find credentials, in the AWS SDK's order: the first method present wins. */
import { describe, expect, it } from "vitest";
import { awsCredentials } from "../../../components/aws/credentials.js";
import type { Env } from "../../../components/contract.js";
import { NotReadyError } from "../../../model/errors.js";
import { thrownBy } from "../../support/errors.js";
import { files } from "../../support/file-probe.js";

const NONE =
  "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (a profile in ~/.aws), or configure a default profile with `aws configure`; " +
  "on an EC2 instance with an instance profile, add --no-credentials-check";
const CREDENTIALS_FILE = "/home/ops/.aws/credentials";
const CONFIG_FILE = "/home/ops/.aws/config";

const refusal = (env: Env, probe = files()) => thrownBy(NotReadyError, () => awsCredentials(env, probe));

describe("AWS credentials", () => {
  it("takes access keys only as a pair, naming the half that is missing", () => {
    expect(awsCredentials({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }, files())).toBe("access keys (AWS_ACCESS_KEY_ID)");
    for (const [env, absent] of [
      [{ AWS_ACCESS_KEY_ID: "a" }, "AWS_SECRET_ACCESS_KEY"],
      [{ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "" }, "AWS_SECRET_ACCESS_KEY"],
      [{ AWS_SECRET_ACCESS_KEY: "b" }, "AWS_ACCESS_KEY_ID"],
    ] as const) {
      const error = refusal({ ...env, AWS_PROFILE: "ops" });
      expect(error.message).toBe(`AWS credentials: access keys need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; ${absent} is not set`);
      expect(error.exitCode).toBe(3);
    }
  });

  it("takes the first method present: keys, AWS_PROFILE, web identity, a container's credentials, a default profile", () => {
    const shared = files({ [CREDENTIALS_FILE]: "[default]\n" });
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: "a",
      AWS_SECRET_ACCESS_KEY: "b",
      AWS_PROFILE: "ops",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token",
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/deploy",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
    };
    const found = [];
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
      found.push(awsCredentials(env, shared));
      env[name] = "";
      if (name === "AWS_ACCESS_KEY_ID") env.AWS_SECRET_ACCESS_KEY = "";
    }
    found.push(awsCredentials(env, shared));
    expect(found).toEqual([
      "access keys (AWS_ACCESS_KEY_ID)",
      "the profile ops (AWS_PROFILE)",
      "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
      "the container's credentials",
      "the default profile in /home/ops/.aws/credentials",
    ]);
  });

  it("takes web identity only with both its token file and role", () => {
    expect(awsCredentials({ AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn" }, files())).toBe("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)");
    expect(refusal({ AWS_WEB_IDENTITY_TOKEN_FILE: "/t" }).message).toBe(NONE);
    expect(refusal({ AWS_ROLE_ARN: "arn" }).message).toBe(NONE);
  });

  it("takes a container's credentials from either URI", () => {
    expect(awsCredentials({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x" }, files())).toBe("the container's credentials");
    expect(awsCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials" }, files())).toBe("the container's credentials");
  });

  it("reads a default profile from ~/.aws/credentials first, then ~/.aws/config", () => {
    expect(awsCredentials({}, files({ [CONFIG_FILE]: "[profile default]\nsso_session = x\n" }))).toBe("the default profile in /home/ops/.aws/config");
    expect(awsCredentials({}, files({ [CREDENTIALS_FILE]: "[default]\n", [CONFIG_FILE]: "[default]\n" }))).toBe("the default profile in /home/ops/.aws/credentials");
    expect(awsCredentials({}, files({ [CREDENTIALS_FILE]: "[other]\n", [CONFIG_FILE]: "[default]\n" }))).toBe("the default profile in /home/ops/.aws/config");
  });

  it("reads the files AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name instead, unless they are empty", () => {
    const moved = files({ "/srv/aws/credentials": "[default]\n", "/srv/aws/config": "[default]\n", [CREDENTIALS_FILE]: "[default]\n", [CONFIG_FILE]: "[default]\n" });
    expect(awsCredentials({ AWS_SHARED_CREDENTIALS_FILE: "/srv/aws/credentials" }, moved)).toBe("the default profile in /srv/aws/credentials");
    expect(awsCredentials({ AWS_SHARED_CREDENTIALS_FILE: "/srv/none", AWS_CONFIG_FILE: "/srv/aws/config" }, moved)).toBe("the default profile in /srv/aws/config");
    expect(awsCredentials({ AWS_SHARED_CREDENTIALS_FILE: "", AWS_CONFIG_FILE: "" }, moved)).toBe("the default profile in /home/ops/.aws/credentials");
  });

  it("recognises a default section however the INI file spaces it", () => {
    for (const text of [
      "[default]",
      "[default]\naws_access_key_id = a\n",
      "[profile other]\nregion = eu-west-1\n\n[default]\n",
      "  [default]",
      "\t[ default ]",
      "[default ]",
      "[profile default]",
      "[profile  default]",
      "[profile\tdefault]",
    ]) {
      expect(awsCredentials({}, files({ [CREDENTIALS_FILE]: text })), text).toBe("the default profile in /home/ops/.aws/credentials");
    }
  });

  it("refuses when no file has a default section, with exit 3, naming the variables and the instance-profile escape", () => {
    for (const text of ["", "[profile other]\n", "[nondefault]\n", "[default-old]\n", "[profiledefault]\n", "# [default]\n", "#[default]\n", "region = [default]\n", "default\n"]) {
      const error = refusal({}, files({ [CREDENTIALS_FILE]: text, [CONFIG_FILE]: text }));
      expect(error.message, text).toBe(NONE);
      expect(error.exitCode).toBe(3);
    }
  });

  it("treats empty variables as unset", () => {
    const empty = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", AWS_WEB_IDENTITY_TOKEN_FILE: "", AWS_ROLE_ARN: "" };
    expect(refusal({ ...empty, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "", AWS_CONTAINER_CREDENTIALS_FULL_URI: "" }).message).toBe(NONE);
    expect(awsCredentials(empty, files({ [CREDENTIALS_FILE]: "[default]\n" }))).toBe("the default profile in /home/ops/.aws/credentials");
  });
});

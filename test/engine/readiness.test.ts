import { describe, expect, it } from "vitest";
import { awsCredentials } from "../../components/aws/credentials.js";
import { azureCredentials } from "../../components/azure/credentials.js";
import type { CredentialSource } from "../../components/contract.js";
import { digitalOceanCredentials } from "../../components/digitalocean/credentials.js";
import { checkPassphrase, resolveBackend, type Env, type FileProbe } from "../../engine/readiness.js";
import type { Cloud } from "../../model/spec.js";
import { NotReadyError } from "../../model/errors.js";
import { UserError } from "../../model/errors.js";
import { thrownBy } from "../support/errors.js";
import { FAKE_AZURE_CREDENTIALS } from "../support/fake-pulumi.js";

const HOME = "/home/ops";

/** A file system of the given files only. */
function files(contents: Record<string, string> = {}, modes: Record<string, number> = {}): FileProbe {
  return { home: HOME, readText: (path) => contents[path], mode: (path) => (path in contents ? (modes[path] ?? 0o600) : undefined) };
}

const notReady = (run: () => unknown) => thrownBy(NotReadyError, run);

/** Each cloud module's own credentials check. */
const CREDENTIALS: Record<Cloud, (env: Env, files: FileProbe) => CredentialSource> = {
  azure: azureCredentials,
  aws: awsCredentials,
  digitalocean: digitalOceanCredentials,
};
const checkCredentials = (cloud: Cloud, env: Env, probe: FileProbe) => CREDENTIALS[cloud](env, probe);

describe("resolveBackend", () => {
  it("defaults to a file backend in the user's home", () => {
    expect(resolveBackend(undefined, {}, HOME)).toEqual({ url: "file:///home/ops/.botinfra/state", localDir: "/home/ops/.botinfra/state", origin: "default" });
  });

  it("takes PULUMI_BACKEND_URL, and --backend-url over it", () => {
    expect(resolveBackend(undefined, { PULUMI_BACKEND_URL: "s3://team-state" }, HOME)).toEqual({ url: "s3://team-state", origin: "PULUMI_BACKEND_URL" });
    expect(resolveBackend("azblob://state", { PULUMI_BACKEND_URL: "s3://team-state" }, HOME)).toEqual({ url: "azblob://state", origin: "--backend-url" });
    expect(resolveBackend("https://api.pulumi.com", {}, HOME).url).toBe("https://api.pulumi.com");
  });

  it("expands ~ in a file backend to the real home", () => {
    expect(resolveBackend("file://~/infra-state", {}, HOME)).toMatchObject({ url: "file:///home/ops/infra-state", localDir: "/home/ops/infra-state" });
  });

  it("in CI, refuses the local default (lost with the runner) and names the variable to set (exit 3)", () => {
    for (const CI of ["true", "1", "yes"]) {
      expect(notReady(() => resolveBackend(undefined, { CI }, HOME)).message).toMatch(/^no state backend in CI \(CI is set\): .*Set PULUMI_BACKEND_URL to s3:\/\/BUCKET/);
      expect(() => resolveBackend(undefined, { CI, PULUMI_BACKEND_URL: "" }, HOME)).toThrow(NotReadyError);
    }
    expect(resolveBackend(undefined, { CI: "true", PULUMI_BACKEND_URL: "s3://team-state" }, HOME).url).toBe("s3://team-state");
    expect(resolveBackend("file:///srv/state", { CI: "true" }, HOME).url).toBe("file:///srv/state");
    for (const CI of ["false", "0", ""]) expect(resolveBackend(undefined, { CI }, HOME).origin).toBe("default");
  });

  it("refuses other URLs, naming where they came from (exit 2)", () => {
    expect(() => resolveBackend("ftp://x", {}, HOME)).toThrow(UserError);
    expect(() => resolveBackend(undefined, { PULUMI_BACKEND_URL: "state" }, HOME)).toThrow(/^PULUMI_BACKEND_URL: found "state"; allowed: file:\/\/PATH/);
    expect(() => resolveBackend("file://relative/dir", {}, HOME)).toThrow(/allowed: file:\/\/ followed by an absolute path/);
  });
});

describe("checkPassphrase", () => {
  it("in CI, refuses an empty PULUMI_CONFIG_PASSPHRASE: a secret that was never created", () => {
    expect(notReady(() => checkPassphrase("passphrase", { CI: "true", PULUMI_CONFIG_PASSPHRASE: "" }, files())).message).toContain("PULUMI_CONFIG_PASSPHRASE is empty in CI");
    expect(() => checkPassphrase("passphrase", { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" }, files())).not.toThrow();
  });

  it("accepts PULUMI_CONFIG_PASSPHRASE, even empty (Pulumi allows an empty passphrase)", () => {
    expect(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE: "" }, files())).not.toThrow();
  });

  it("accepts a readable PULUMI_CONFIG_PASSPHRASE_FILE and refuses an unreadable one", () => {
    expect(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" }, files({ "/run/pass": "pw\n" }))).not.toThrow();
    const error = notReady(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/nope" }, files()));
    expect(error.message).toMatch(/^PULUMI_CONFIG_PASSPHRASE_FILE: \/run\/nope cannot be read/);
  });

  it("refuses a passphrase file other users can read, with exit 3, naming it", () => {
    const env = { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" };
    for (const mode of [0o644, 0o640, 0o660, 0o604]) {
      const error = notReady(() => checkPassphrase("passphrase", env, files({ "/run/pass": "pw\n" }, { "/run/pass": 0o100000 | mode })));
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(
        `PULUMI_CONFIG_PASSPHRASE_FILE: /run/pass can be read or written by other users (mode 0${mode.toString(8)}); allowed: a file only its owner can use: chmod 600 /run/pass`,
      );
    }
    expect(() => checkPassphrase("passphrase", env, files({ "/run/pass": "pw\n" }, { "/run/pass": 0o100400 }))).not.toThrow();
  });

  it("refuses a missing passphrase with exit 3, naming both variables", () => {
    const error = notReady(() => checkPassphrase("passphrase", {}, files()));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain("PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it");
  });

  it("needs no passphrase with another secrets provider", () => {
    expect(() => checkPassphrase("awskms://alias/botinfra", {}, files())).not.toThrow();
  });
});

describe("checkCredentials", () => {
  const profile = (subscriptions: unknown[]) => `\uFEFF${JSON.stringify({ installationId: "x", subscriptions })}`;

  describe("Azure, in the azure-native provider's order", () => {
    it("takes a complete service principal", () => {
      expect(checkCredentials("azure", FAKE_AZURE_CREDENTIALS, files())).toBe("a service principal with a client secret (ARM_CLIENT_SECRET)");
    });

    it("names what a partial service principal lacks", () => {
      const error = notReady(() => checkCredentials("azure", { ARM_CLIENT_SECRET: "s", ARM_CLIENT_ID: "c" }, files()));
      expect(error.message).toBe("Azure credentials: a service principal with a client secret (ARM_CLIENT_SECRET) also needs ARM_TENANT_ID, ARM_SUBSCRIPTION_ID");
    });

    it("takes a managed identity or the default credential chain with a subscription", () => {
      expect(checkCredentials("azure", { ARM_USE_MSI: "true", ARM_SUBSCRIPTION_ID: "s" }, files())).toBe("a managed identity (ARM_USE_MSI)");
      expect(checkCredentials("azure", { ARM_USE_DEFAULT_AZURE_CREDENTIAL: "true", ARM_SUBSCRIPTION_ID: "s" }, files())).toMatch(/default Azure credential chain/);
      expect(notReady(() => checkCredentials("azure", { ARM_USE_MSI: "true" }, files())).message).toContain("also needs ARM_SUBSCRIPTION_ID");
    });

    it("takes OIDC only with a token", () => {
      const ids = { ARM_USE_OIDC: "true", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_SUBSCRIPTION_ID: "s" };
      expect(notReady(() => checkCredentials("azure", ids, files())).message).toContain("ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH");
      expect(checkCredentials("azure", { ...ids, ARM_OIDC_TOKEN_FILE_PATH: "/var/run/token" }, files())).toBe("OIDC (ARM_USE_OIDC)");
      expect(checkCredentials("azure", { ...ids, ACTIONS_ID_TOKEN_REQUEST_URL: "u", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" }, files())).toBe("OIDC (ARM_USE_OIDC)");
    });

    it("falls back to an `az login` session, and not to a logged-out one", () => {
      expect(checkCredentials("azure", {}, files({ "/home/ops/.azure/azureProfile.json": profile([{ id: "s" }]) }))).toBe("the Azure CLI's login (az login)");
      expect(checkCredentials("azure", { AZURE_CONFIG_DIR: "/cfg" }, files({ "/cfg/azureProfile.json": profile([{ id: "s" }]) }))).toBe("the Azure CLI's login (az login)");
      const error = notReady(() => checkCredentials("azure", {}, files({ "/home/ops/.azure/azureProfile.json": profile([]) })));
      expect(error.exitCode).toBe(3);
      expect(error.message).toMatch(/^no Azure credentials: run `az login`, or set ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID/);
    });
  });

  describe("AWS", () => {
    it("takes access keys, but not half of them", () => {
      expect(checkCredentials("aws", { AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }, files())).toBe("access keys (AWS_ACCESS_KEY_ID)");
      expect(notReady(() => checkCredentials("aws", { AWS_ACCESS_KEY_ID: "a" }, files())).message).toContain("AWS_SECRET_ACCESS_KEY is not set");
    });

    it("takes a profile, web identity, container credentials or a default profile in ~/.aws", () => {
      expect(checkCredentials("aws", { AWS_PROFILE: "ops" }, files())).toBe("the profile ops (AWS_PROFILE)");
      expect(checkCredentials("aws", { AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn" }, files())).toMatch(/web identity/);
      expect(checkCredentials("aws", { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/creds" }, files())).toMatch(/container/);
      expect(checkCredentials("aws", {}, files({ "/home/ops/.aws/credentials": "[default]\naws_access_key_id = a\n" }))).toBe("the default profile in /home/ops/.aws/credentials");
      expect(checkCredentials("aws", {}, files({ "/home/ops/.aws/config": "[profile default]\nsso_session = x\n" }))).toMatch(/default profile/);
    });

    it("refuses nothing at all with exit 3, naming the variables and the instance-profile escape", () => {
      const error = notReady(() => checkCredentials("aws", {}, files({ "/home/ops/.aws/config": "[profile other]\n" })));
      expect(error.message).toMatch(/^no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
      expect(error.message).toContain("--no-credentials-check");
    });
  });

  describe("DigitalOcean", () => {
    it("takes DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN", () => {
      expect(checkCredentials("digitalocean", { DIGITALOCEAN_TOKEN: "t" }, files())).toBe("an API token (DIGITALOCEAN_TOKEN)");
      expect(checkCredentials("digitalocean", { DIGITALOCEAN_ACCESS_TOKEN: "t" }, files())).toBe("an API token (DIGITALOCEAN_ACCESS_TOKEN)");
    });

    it("refuses an empty token", () => {
      const env: Env = { DIGITALOCEAN_TOKEN: "" };
      expect(notReady(() => checkCredentials("digitalocean", env, files())).message).toBe(
        "no DigitalOcean credentials: set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) to an API token with write scope",
      );
    });
  });
});

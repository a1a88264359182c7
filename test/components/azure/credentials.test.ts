/** Where the azure-native provider will find credentials, in its order: the first method asked for wins, and must be complete. */
import { describe, expect, it } from "vitest";
import { azureCredentials } from "../../../components/azure/credentials.js";
import type { Env } from "../../../components/contract.js";
import { NotReadyError } from "../../../model/errors.js";
import { thrownBy } from "../../support/errors.js";
import { files } from "../../support/file-probe.js";

const NONE =
  "no Azure credentials: run `az login`, or set ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID (a service principal); " +
  "ARM_USE_MSI=true (managed identity), ARM_USE_OIDC=true (OIDC) or ARM_USE_DEFAULT_AZURE_CREDENTIAL=true also work, each with ARM_SUBSCRIPTION_ID";
const IDS = { ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_SUBSCRIPTION_ID: "s" };
const PROFILE = "/home/ops/.azure/azureProfile.json";
const CLI = "the Azure CLI's login (az login)";
const DEFAULT_CHAIN = "the default Azure credential chain (ARM_USE_DEFAULT_AZURE_CREDENTIAL)";
const CERTIFICATE = "a service principal with a client certificate (ARM_CLIENT_CERTIFICATE_PATH)";
const SECRET = "a service principal with a client secret (ARM_CLIENT_SECRET)";
const OIDC = "OIDC (ARM_USE_OIDC)";
const MSI = "a managed identity (ARM_USE_MSI)";

/** azureProfile.json as `az login` writes it: with a byte-order mark. */
const profile = (subscriptions: unknown[]) => `\uFEFF${JSON.stringify({ installationId: "x", subscriptions })}`;
const loggedIn = files({ [PROFILE]: profile([{ id: "s", isDefault: true }]) });
const refusal = (env: Env, probe = files()) => thrownBy(NotReadyError, () => azureCredentials(env, probe));

describe("Azure credentials", () => {
  it("takes the first method asked for: default chain, certificate, secret, OIDC, managed identity, then the CLI's login", () => {
    const env: Record<string, string> = {
      ...IDS,
      ARM_USE_DEFAULT_AZURE_CREDENTIAL: "true",
      ARM_CLIENT_CERTIFICATE_PATH: "/etc/sp.pfx",
      ARM_CLIENT_SECRET: "secret",
      ARM_USE_OIDC: "true",
      ARM_OIDC_TOKEN: "token",
      ARM_USE_MSI: "true",
    };
    const found = [];
    for (const name of ["ARM_USE_DEFAULT_AZURE_CREDENTIAL", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_SECRET", "ARM_USE_OIDC", "ARM_USE_MSI"]) {
      found.push(azureCredentials(env, loggedIn));
      env[name] = "";
    }
    found.push(azureCredentials(env, loggedIn));
    expect(found).toEqual([DEFAULT_CHAIN, CERTIFICATE, SECRET, OIDC, MSI, CLI]);
  });

  it("refuses a method asked for but incomplete, naming what it lacks, rather than falling back to a later one", () => {
    const cases: [Env, string][] = [
      [{ ARM_USE_DEFAULT_AZURE_CREDENTIAL: "true", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t" }, `${DEFAULT_CHAIN} also needs ARM_SUBSCRIPTION_ID`],
      [{ ARM_CLIENT_CERTIFICATE_PATH: "/etc/sp.pfx" }, `${CERTIFICATE} also needs ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID`],
      [{ ARM_CLIENT_SECRET: "secret", ARM_CLIENT_ID: "c" }, `${SECRET} also needs ARM_TENANT_ID, ARM_SUBSCRIPTION_ID`],
      [{ ARM_CLIENT_SECRET: "secret", ARM_TENANT_ID: "t", ARM_SUBSCRIPTION_ID: "s" }, `${SECRET} also needs ARM_CLIENT_ID`],
      [{ ARM_CLIENT_SECRET: "secret", ARM_CLIENT_ID: "c", ARM_SUBSCRIPTION_ID: "s" }, `${SECRET} also needs ARM_TENANT_ID`],
      [{ ARM_CLIENT_SECRET: "secret", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_SUBSCRIPTION_ID: "" }, `${SECRET} also needs ARM_SUBSCRIPTION_ID`],
      [{ ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "token", ARM_TENANT_ID: "t" }, `${OIDC} also needs ARM_CLIENT_ID, ARM_SUBSCRIPTION_ID`],
      [{ ARM_USE_MSI: "true", ARM_CLIENT_ID: "c" }, `${MSI} also needs ARM_SUBSCRIPTION_ID`],
    ];
    for (const [env, message] of cases) {
      const error = refusal(env, loggedIn);
      expect(error.message).toBe(`Azure credentials: ${message}`);
      expect(error.exitCode).toBe(3);
    }
  });

  it("takes the default chain and a managed identity with a subscription alone, the service principals with all three ids", () => {
    expect(azureCredentials({ ARM_USE_DEFAULT_AZURE_CREDENTIAL: "true", ARM_SUBSCRIPTION_ID: "s" }, files())).toBe(DEFAULT_CHAIN);
    expect(azureCredentials({ ARM_USE_MSI: "true", ARM_SUBSCRIPTION_ID: "s" }, files())).toBe(MSI);
    expect(azureCredentials({ ...IDS, ARM_CLIENT_CERTIFICATE_PATH: "/etc/sp.pfx" }, files())).toBe(CERTIFICATE);
    expect(azureCredentials({ ...IDS, ARM_CLIENT_SECRET: "secret" }, files())).toBe(SECRET);
  });

  it("reads ARM_USE_* as true in any case, and as false for anything else", () => {
    for (const value of ["true", "TRUE", "True"]) {
      expect(azureCredentials({ ARM_USE_MSI: value, ARM_SUBSCRIPTION_ID: "s" }, files())).toBe(MSI);
      expect(azureCredentials({ ...IDS, ARM_USE_DEFAULT_AZURE_CREDENTIAL: value, ARM_CLIENT_SECRET: "secret" }, files())).toBe(DEFAULT_CHAIN);
    }
    for (const value of ["1", "yes", "false", ""]) {
      const env = { ...IDS, ARM_USE_DEFAULT_AZURE_CREDENTIAL: value, ARM_USE_OIDC: value, ARM_OIDC_TOKEN: "token", ARM_USE_MSI: value };
      expect(refusal(env).message, value).toBe(NONE);
      expect(azureCredentials(env, loggedIn), value).toBe(CLI);
    }
  });

  it("takes OIDC only with a token: ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or both of GitHub Actions' request variables", () => {
    const oidc = { ...IDS, ARM_USE_OIDC: "true" };
    for (const token of [
      { ARM_OIDC_TOKEN: "token" },
      { ARM_OIDC_TOKEN_FILE_PATH: "/var/run/token" },
      { ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request" },
    ]) {
      expect(azureCredentials({ ...oidc, ...token }, files())).toBe(OIDC);
    }
    for (const token of [
      {},
      { ARM_OIDC_TOKEN: "", ARM_OIDC_TOKEN_FILE_PATH: "" },
      { ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions" },
      { ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request" },
    ]) {
      const error = refusal({ ...oidc, ...token }, loggedIn);
      expect(error.message).toBe(
        "Azure credentials: OIDC (ARM_USE_OIDC) also needs a token: ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      );
      expect(error.exitCode).toBe(3);
    }
  });

  it("treats empty service-principal variables as unset", () => {
    expect(refusal({ ARM_CLIENT_CERTIFICATE_PATH: "", ARM_CLIENT_SECRET: "", ...IDS }).message).toBe(NONE);
  });

  describe("the Azure CLI's login", () => {
    it("is found in ~/.azure/azureProfile.json, with or without a byte-order mark", () => {
      expect(azureCredentials({}, loggedIn)).toBe(CLI);
      expect(azureCredentials({}, files({ [PROFILE]: JSON.stringify({ subscriptions: [{ id: "s" }] }) }))).toBe(CLI);
    });

    it("is found in AZURE_CONFIG_DIR instead when it is set and not empty", () => {
      const moved = files({ "/srv/azure/azureProfile.json": profile([{ id: "s" }]) });
      expect(azureCredentials({ AZURE_CONFIG_DIR: "/srv/azure" }, moved)).toBe(CLI);
      expect(refusal({}, moved).message).toBe(NONE);
      expect(refusal({ AZURE_CONFIG_DIR: "/srv/azure" }, loggedIn).message).toBe(NONE);
      expect(azureCredentials({ AZURE_CONFIG_DIR: "" }, loggedIn)).toBe(CLI);
    });

    it("is not one when the profile is missing, logged out, without subscriptions or not JSON: refused with exit 3", () => {
      const probes = [
        files(),
        files({ "/home/ops/azureProfile.json": profile([{ id: "s" }]), "/home/ops/.azure": profile([{ id: "s" }]) }),
        files({ [PROFILE]: profile([]) }),
        files({ [PROFILE]: `\uFEFF${JSON.stringify({ installationId: "x" })}` }),
        files({ [PROFILE]: `\uFEFF${JSON.stringify({ subscriptions: { id: "s" } })}` }),
        files({ [PROFILE]: "\uFEFF{\"subscriptions\": [" }),
        files({ [PROFILE]: "" }),
      ];
      for (const probe of probes) {
        const error = refusal({}, probe);
        expect(error.message).toBe(NONE);
        expect(error.exitCode).toBe(3);
      }
    });
  });
});

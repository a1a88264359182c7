/**
 * The spec's fields for what runs on the servers: each tier's role and app, and where the proxies'
 * certificates come from. Every pattern here keeps a user's string a plain value wherever it lands
 * (a command argument, an environment file, an Ansible variable): no whitespace, no control
 * characters, no leading '-' that a tool could read as an option.
 */
import { z } from "zod";

const allowed = (text: string) => ({ error: () => text });
const matching = (pattern: RegExp, text: string) => z.string(allowed(text)).regex(pattern, allowed(text));

/** Roles botinfra ships for a tier; any other role name must be one of the tenant overlay's roles. */
export const TIER_ROLES = ["node_app", "postgresql", "none"] as const;
export const ROLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Environment variable names, for the app's settings and secrets. */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;

const GIT_REPO = /^(https:\/\/|ssh:\/\/|file:\/\/|\/|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:)[^\s\\'"`$;&|<>]*$/;
const GIT_REF = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;
const SCRIPT = /^(?![-/])(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]{1,200}$/;
const OVERLAY_FILE = SCRIPT;

const appSchema = z.strictObject(
  {
    repo: matching(GIT_REPO, "a git repository: an https://, ssh:// or file:// URL, user@host:path, or an absolute path").optional(),
    ref: matching(GIT_REF, "a git branch, tag or commit such as main or v1.2.0").optional(),
    tarball: matching(/^https:\/\/[^\s\\'"`$;&|<>]+$/, "an https:// URL of a release tarball").optional(),
    sha256: matching(/^[0-9a-f]{64}$/, "the tarball's SHA-256: 64 lowercase hexadecimal digits").optional(),
    script: matching(SCRIPT, "the entry script, a relative path such as index.js or dist/server.js").optional(),
    env: z
      .record(
        matching(ENV_NAME, "environment variable names: uppercase letters, digits and '_'"),
        matching(/^[^\x00-\x1f\x7f]{0,4096}$/, "a one-line value (secrets go in secrets, not here)"),
        allowed("a mapping of environment variable names to values"),
      )
      .optional(),
    secrets: z.array(matching(ENV_NAME, "environment variable names: uppercase letters, digits and '_'"), allowed("a list of environment variable names")).optional(),
  },
  allowed("a mapping with repo and ref, or tarball and sha256, and optionally script, env and secrets"),
);

export const tierSoftwareFields = {
  role: matching(ROLE_NAME, `${TIER_ROLES.join(", ")}, or the name of a role in the tenant overlay's roles/`).optional(),
  app: appSchema.optional(),
};

export const tlsSchema = z.strictObject(
  {
    acme: z
      .strictObject(
        {
          email: matching(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$/, "the e-mail address the ACME CA writes to about expiry"),
          directory: matching(/^https:\/\/[^\s\\'"`$;&|<>]+$/, "an https:// ACME directory URL").optional(),
        },
        allowed("a mapping with email and optionally directory"),
      )
      .optional(),
    certificate: matching(OVERLAY_FILE, "a certificate file in the tenant overlay's files/, such as acme.crt").optional(),
    key: matching(OVERLAY_FILE, "an Ansible Vault encrypted key file in the tenant overlay's files/, such as acme.key").optional(),
  },
  allowed("a mapping with acme, or certificate and key"),
);

export const overlaySchema = matching(/^[^\x00-\x1f\x7f]{1,1000}$/, "a folder path, relative to the tenant file").optional();

export type TlsSpec = z.infer<typeof tlsSchema>;
export type AppSpec = z.infer<typeof appSchema>;

/**
 * The tenant spec: the user's contract. The schema checks shapes and single values; rules that span
 * fields (address plan, routes, name limits) are checked when the platform model is built.
 */
import { z } from "zod";
import { describeValue, type SpecIssue } from "./errors.js";
import { overlaySchema, tierSoftwareFields, tlsSchema } from "./software-spec.js";

export const CLOUDS = ["azure", "aws", "digitalocean"] as const;
export type Cloud = (typeof CLOUDS)[number];
/** How private servers reach the internet: the cloud's NAT gateway, or the environment's proxy acting as NAT. */
export const EGRESS_MODES = ["nat-gateway", "proxy"] as const;
export type Egress = (typeof EGRESS_MODES)[number];
/** An account or team name, as the tenant's cloud shows it. */
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/** Environment and tier names become Ansible group names and parts of cloud resource names. */
export const GROUP_NAME = /^[a-z][a-z0-9]*$/;
/** DNS-label-like, so that `<tenant>-<env>-...` stays a valid host name on every cloud. */
export const TENANT_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
export const TENANT_MAX_LENGTH = 12;
export const GROUP_NAME_MAX_LENGTH = 12;

/** Every schema node carries the sentence that says what is allowed there; errors quote it. */
const allowed = (text: string) => ({ error: () => text });

const count = (max: number) =>
  z.int(allowed(`a whole number from 1 to ${max}`)).min(1, allowed(`a whole number from 1 to ${max}`)).max(max, allowed(`a whole number from 1 to ${max}`));

const size = z.string(allowed("a server size of the tenant's cloud, such as Standard_B2s, t3.small or s-1vcpu-2gb")).min(1, allowed("a non-empty server size"));

const groupName = (what: string) =>
  z.string().regex(GROUP_NAME, allowed(`${what} names: a lowercase letter, then lowercase letters and digits`)).max(GROUP_NAME_MAX_LENGTH, allowed(`${what} names of at most ${GROUP_NAME_MAX_LENGTH} characters`));

/** A sanity bound only: how many servers fit a tier's subnet is the model's check. */
export const TIER_MAX_COUNT = 1000;
export const PROXY_MAX_COUNT = 10;
/** Every subnet (the proxy's edge subnet and one per tier) is a /24. */
export const SUBNET_PREFIX = 24;
/** The largest data disk every cloud offers (Azure's and AWS's gp3 limit is 16 TiB). */
export const DISK_MAX_GB = 16384;

const tierSchema = z.strictObject(
  {
    count: count(TIER_MAX_COUNT),
    size,
    port: z.int(allowed("a TCP port from 1 to 65535")).min(1, allowed("a TCP port from 1 to 65535")).max(65535, allowed("a TCP port from 1 to 65535")),
    expose: z
      .string(allowed('"@" (the environment\'s own host) or a host label such as "api"'))
      .regex(/^(@|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/, allowed('"@" (the environment\'s own host) or a host label such as "api"'))
      .optional(),
    // Empty: no tier calls it (an exposed tier only the proxy reaches, a worker nobody calls).
    from: z.array(z.string(allowed("a tier name of the same environment")), allowed("a list of the tier names that call this tier (empty: none)")).optional(),
    cidr: z.string(allowed(`a /${SUBNET_PREFIX} range inside the environment's range, such as 10.20.3.0/${SUBNET_PREFIX}`)).optional(),
    stateful: z.boolean(allowed("true or false")).optional(),
    disk: z
      .strictObject(
        { sizeGb: z.int(allowed(`a whole number of GB from 1 to ${DISK_MAX_GB}`)).min(1, allowed(`a whole number of GB from 1 to ${DISK_MAX_GB}`)).max(DISK_MAX_GB, allowed(`a whole number of GB from 1 to ${DISK_MAX_GB}`)) },
        allowed("a mapping with sizeGb"),
      )
      .optional(),
    ...tierSoftwareFields,
  },
  allowed("a mapping with count, size, port and optionally expose, from, cidr, stateful, disk, role and app"),
);

const proxySchema = z.strictObject(
  {
    count: count(PROXY_MAX_COUNT).optional(),
    size: size.optional(),
  },
  allowed("a mapping with count and/or size"),
);

/** How many NAT gateways an environment has on clouds with zones: one per zone, or one in all. */
export const NAT_GATEWAYS = ["perZone", "single"] as const;
export type NatGateways = (typeof NAT_GATEWAYS)[number];

const environmentSchema = z.strictObject(
  {
    cidr: z.string(allowed("a private IPv4 range such as 10.20.0.0/16")).optional(),
    natGateways: z.enum(NAT_GATEWAYS, allowed(`${NAT_GATEWAYS.join(" or ")} (clouds with availability zones)`)).optional(),
    proxy: proxySchema.optional(),
    tls: tlsSchema.optional(),
    tiers: z.record(groupName("tier"), tierSchema, allowed("a mapping of tier names to tiers")),
  },
  allowed("a mapping with tiers and optionally cidr, natGateways, proxy and tls"),
);

export const tenantSpecSchema = z.strictObject(
  {
    tenant: z
      .string(allowed(`a tenant name: lowercase letters, digits and '-', at most ${TENANT_MAX_LENGTH} characters`))
      .regex(TENANT_NAME, allowed("a tenant name: a lowercase letter first, then lowercase letters, digits and '-', not ending in '-'"))
      .max(TENANT_MAX_LENGTH, allowed(`a tenant name of at most ${TENANT_MAX_LENGTH} characters (it is part of every cloud resource name)`)),
    cloud: z.enum(CLOUDS, allowed(CLOUDS.join(", "))),
    region: z.string(allowed("the cloud's region name, such as westeurope, eu-west-1 or ams3")).min(1, allowed("a non-empty region name")),
    domain: z
      .string(allowed("a DNS domain such as acme.example.com"))
      .regex(/^(?=.{4,200}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, allowed("a lowercase DNS domain such as acme.example.com")),
    admin: z.strictObject(
      {
        username: z
          .string(allowed("a Linux user name"))
          .regex(/^[a-z_][a-z0-9_-]{0,31}$/, allowed("a Linux user name: lowercase letters, digits, '_' and '-', at most 32 characters")),
        sshPublicKeys: z
          .array(z.string(allowed("an OpenSSH public key line")), allowed("a list of OpenSSH public key lines"))
          .min(1, allowed("at least one OpenSSH public key: servers accept no passwords")),
      },
      allowed("a mapping with username and sshPublicKeys"),
    ),
    account: z
      .string(allowed("the name of the cloud account or team the tenant deploys into, such as acme-ops"))
      .regex(ACCOUNT_NAME, allowed("an account or team name: letters, digits and . _ @ -, at most 100 characters"))
      .optional(),
    egress: z.enum(EGRESS_MODES, allowed(`how private servers reach the internet: ${EGRESS_MODES.join(" or ")}`)).optional(),
    managementCidrs: z.array(z.string(allowed("an IPv4 range such as 203.0.113.0/24")), allowed("a list of IPv4 ranges")).optional(),
    proxy: proxySchema.optional(),
    tls: tlsSchema.optional(),
    overlay: overlaySchema,
    environments: z.record(groupName("environment"), environmentSchema, allowed("a mapping of environment names to environments")),
  },
  allowed("a mapping with tenant, cloud, region, domain, admin, environments"),
);

export type TenantSpec = z.infer<typeof tenantSpecSchema>;
export type TierSpec = z.infer<typeof tierSchema>;
export type EnvironmentSpec = z.infer<typeof environmentSchema>;

/** Checks the shape of parsed YAML; returns the typed spec or the issues, each naming its field. */
export function parseTenantSpec(raw: unknown): { spec: TenantSpec; issues: [] } | { spec?: undefined; issues: SpecIssue[] } {
  const result = tenantSpecSchema.safeParse(raw);
  if (result.success) return { spec: result.data, issues: [] };
  const issues = result.error.issues.flatMap((issue): SpecIssue[] => {
    const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
    if (issue.code === "unrecognized_keys") {
      const keys = allowedKeysAt(path);
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key; allowed here: ${keys.join(", ")}` }));
    }
    if (issue.code === "invalid_key") {
      return [{ path, message: `found ${describeValue(path[path.length - 1])}; allowed: ${issue.issues[0]?.message ?? issue.message}` }];
    }
    const found = valueAt(raw, path);
    if (found === undefined) return [{ path, message: `is required: ${issue.message}` }];
    return [{ path, message: `found ${describeValue(found)}; allowed: ${issue.message}` }];
  });
  return { issues };
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let node = raw;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** The keys the schema allows at an object path; record levels (environment and tier names) are skipped. */
function allowedKeysAt(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType = tenantSpecSchema;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[part as string] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

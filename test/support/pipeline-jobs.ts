/**
 * The job ids both CI renderers write for a set of tenants, in the order they write them: what the
 * GitHub and GitLab tests expect, stated once. The tenants and their environments are the test's own.
 */

/** Each tenant's environments in deployment order (non-production first), tenants by name. */
export type TenantEnvironments = Record<string, readonly string[]>;

/** One job of `kind` per stack, tenant by tenant. */
export function stackJobs(kind: "preview" | "deploy" | "drift", tenants: TenantEnvironments): string[] {
  return Object.entries(tenants).flatMap(([tenant, environments]) => environments.map((environment) => `${kind}-${tenant}-${environment}`));
}

/** A pull or merge request's jobs: validate, affected, a check per tenant, then a preview per stack. */
export function changeRequestJobs(tenants: TenantEnvironments): string[] {
  return ["validate", "affected", ...Object.keys(tenants).map((tenant) => `check-${tenant}`), ...stackJobs("preview", tenants)];
}

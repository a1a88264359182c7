/**
 * Every rule on DigitalOcean: a failing and a passing case, from @pulumi/digitalocean resources under
 * the mock runtime. Droplets carry botinfra's tags as `key:value` names; firewalls and load balancers
 * carry none of their own and take the tier of the droplets they target.
 */
import * as digitalocean from "@pulumi/digitalocean/index.js";
import { describe, expect, it } from "vitest";
import { planOffline } from "../../engine/offline.js";
import { checkPlan } from "../../policies/offline.js";
import { tenantPolicyConfig } from "../../policies/tenant-config.js";
import { tagNames } from "../../model/tags.js";
import { platformOf } from "../support/plan.js";
import { check, found, MANAGEMENT, TENANT_CONFIG, tags } from "../support/policy-check.js";
import { sampleSpec } from "../support/specs.js";

interface DropletOptions {
  environment?: string;
  tier?: string;
  publicNetworking?: boolean;
  ipv6?: boolean;
  protect?: boolean;
  labels?: string[];
}

function droplet(name: string, options: DropletOptions = {}) {
  const { environment = "production", tier = "api" } = options;
  return new digitalocean.Droplet(
    name,
    {
      name,
      region: "ams3",
      size: "s-1vcpu-2gb",
      image: "debian-12-x64",
      publicNetworking: options.publicNetworking ?? tier === "proxy",
      ...(options.ipv6 ? { ipv6: true } : {}),
      tags: options.labels ?? [`acme-${environment}-${tier}`, ...tagNames(tags(environment, tier))],
    },
    { protect: options.protect ?? environment === "production" },
  );
}

const inbound = (portRange: string, sourceAddresses: string[]) => ({ protocol: "tcp", portRange, sourceAddresses });

const firewall = (name: string, target: string, inboundRules: digitalocean.FirewallArgs["inboundRules"]) =>
  new digitalocean.Firewall(name, { name, tags: [target], inboundRules });

describe("DigitalOcean: public addresses", () => {
  it("refuses tier droplets with public networking or IPv6, and reserved IPs off the proxy", async () => {
    const report = await check("digitalocean", () => {
      droplet("acme-production-api-1", { publicNetworking: true });
      const second = droplet("acme-production-api-2", { publicNetworking: false, ipv6: true });
      new digitalocean.ReservedIp("api-ip", { region: "ams3", dropletId: second.id.apply(Number) }, { protect: true });
      new digitalocean.ReservedIp("spare-ip", { region: "ams3" }, { protect: true });
    });
    expect(found(report, "public-addresses-proxy-only")).toEqual([
      ["acme-production-api-1", expect.stringMatching(/droplet "acme-production-api-1" has public networking \(publicNetworking is not false\) and belongs to api.*set publicNetworking: false/)],
      ["acme-production-api-2", expect.stringContaining('droplet "acme-production-api-2" has a public IPv6 address (ipv6: true) and belongs to api')],
      ["api-ip", expect.stringContaining('reserved IP "api-ip" is a public address and belongs to api')],
      ["spare-ip", 'reserved IP "spare-ip" is a public address, but only the proxy and NAT gateways may have one. Attach public addresses only to the proxy (its load balancer or server) or a NAT gateway, or remove it.'],
    ]);
  });

  it("allows the proxy's public droplet and a reserved IP assigned to it", async () => {
    const report = await check("digitalocean", () => {
      const proxy = droplet("acme-production-proxy-1", { tier: "proxy" });
      droplet("acme-production-proxy-2", { tier: "proxy" });
      const ip = new digitalocean.ReservedIp("proxy-ip", { region: "ams3" }, { protect: true });
      new digitalocean.ReservedIpAssignment("proxy-ip-assignment", { ipAddress: ip.ipAddress, dropletId: proxy.id.apply(Number) });
    });
    expect(report.violations).toEqual([]);
  });
});

describe("DigitalOcean: firewalls", () => {
  it("refuses other ports than 80 and 443 from the internet, and SSH from outside the management ranges", async () => {
    const report = await check(
      "digitalocean",
      () => {
        droplet("acme-production-proxy-1", { tier: "proxy" });
        firewall("acme-production-proxy-fw", "acme-production-proxy", [inbound("443", ["0.0.0.0/0"]), inbound("3000-3010", ["0.0.0.0/0", "::/0"]), inbound("22", ["::/0"])]);
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "public-ingress-web-ports-only")).toEqual([
      ["acme-production-proxy-fw", expect.stringContaining('firewall "acme-production-proxy-fw": rule "inboundRules[1]" opens ports 3000-3010 to 0.0.0.0/0, ::/0')],
    ]);
    expect(found(report, "ssh-from-management-only")).toEqual([
      ["acme-production-proxy-fw", `firewall "acme-production-proxy-fw": rule "inboundRules[2]" opens SSH to ::/0. Allow SSH only from the management ranges (${MANAGEMENT}).`],
    ]);
  });

  it("refuses public sources on a firewall that guards a tier's droplets", async () => {
    const report = await check("digitalocean", () => {
      droplet("acme-production-api-1");
      firewall("acme-production-api-fw", "acme-production-api", [inbound("443", ["0.0.0.0/0"])]);
    });
    expect(found(report, "public-ingress-proxy-only")).toEqual([
      ["acme-production-api-fw", expect.stringContaining('firewall "acme-production-api-fw" belongs to api, not to the proxy, but admits public addresses (rule "inboundRules[0]" from 0.0.0.0/0)')],
    ]);
  });

  it("allows the proxy's firewall and a tier's private one, icmp and denials aside", async () => {
    const report = await check(
      "digitalocean",
      () => {
        droplet("acme-production-proxy-1", { tier: "proxy" });
        droplet("acme-production-proxy-2", { tier: "proxy" });
        droplet("acme-production-api-1");
        droplet("acme-production-api-2");
        firewall("acme-production-proxy-fw", "acme-production-proxy", [inbound("80", ["0.0.0.0/0", "::/0"]), inbound("443", ["0.0.0.0/0", "::/0"]), inbound("22", [MANAGEMENT])]);
        firewall("acme-production-api-fw", "acme-production-api", [
          inbound("8080", ["10.20.0.0/24"]),
          { protocol: "tcp", portRange: "22", sourceTags: ["acme-production-proxy"] },
          { protocol: "icmp", sourceAddresses: ["0.0.0.0/0"] },
          { protocol: "tcp", portRange: "1-65535", sourceAddresses: ["0.0.0.0/0"], action: "deny" },
        ]);
      },
      { config: [TENANT_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });
});

describe("DigitalOcean: load balancers", () => {
  const balancer = (name: string, target: string, network?: string) =>
    new digitalocean.LoadBalancer(name, {
      name,
      region: "ams3",
      dropletTag: target,
      ...(network ? { network } : {}),
      forwardingRules: [{ entryPort: 443, entryProtocol: "tcp", targetPort: 443, targetProtocol: "tcp" }],
    });

  it("refuses an external load balancer in front of a tier, external being the default", async () => {
    const report = await check("digitalocean", () => {
      droplet("acme-production-api-1");
      balancer("acme-production-api-lb", "acme-production-api");
    });
    expect(found(report, "load-balancers-internal")).toEqual([
      ["acme-production-api-lb", 'load balancer "acme-production-api-lb" is external (network is not INTERNAL) but is the load balancer of api: set network: "INTERNAL" and its vpcUuid.'],
    ]);
  });

  it("allows internal tier load balancers and the proxy's external one", async () => {
    const report = await check("digitalocean", () => {
      droplet("acme-production-api-1");
      droplet("acme-production-api-2");
      droplet("acme-production-proxy-1", { tier: "proxy", publicNetworking: false });
      droplet("acme-production-proxy-2", { tier: "proxy", publicNetworking: false });
      balancer("acme-production-api-lb", "acme-production-api", "INTERNAL");
      balancer("acme-production-proxy-lb", "acme-production-proxy", "EXTERNAL");
    });
    expect(report.violations).toEqual([]);
  });
});

describe("DigitalOcean: production redundancy", () => {
  it("advises two droplets per production tier, having no placement to enforce", async () => {
    const report = await check("digitalocean", () => void droplet("acme-production-api-1"));
    expect(found(report, "digitalocean-production-redundancy")).toEqual([
      ["acme-production-api-1", 'tier "api" of production runs on 1 server (acme-production-api-1); production tiers need at least 2: raise its count.'],
    ]);
    expect(report.violations.map((violation) => violation.level)).toEqual(["advisory"]);
    expect(report.summary.passed).toBe(true);
  });

  it("is satisfied by two droplets", async () => {
    const report = await check("digitalocean", () => {
      droplet("acme-production-api-1");
      droplet("acme-production-api-2");
    });
    expect(report.violations).toEqual([]);
  });
});

describe("DigitalOcean: protection, networks, tags and names", () => {
  it("refuses an unprotected production droplet, a VPC overlapping another environment, a long name; advises key:value tags", async () => {
    const report = await check(
      "digitalocean",
      () => {
        droplet("acme-production-api-1", { protect: false });
        droplet("acme-production-api-2");
        droplet(`acme-production-api-${"9".repeat(60)}`, { tier: "db", labels: ["db", "production"] });
        new digitalocean.Vpc("acme-production-net", { name: "acme-production-net", region: "ams3", ipRange: "10.21.0.0/16" });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "production-stateful-protected")).toEqual([["acme-production-api-1", expect.stringContaining('droplet "acme-production-api-1" holds data or an address in production but is not protected')]]);
    expect(found(report, "environment-networks-disjoint")).toEqual([
      ["acme-production-net", expect.stringContaining('VPC "acme-production-net" (10.21.0.0/16) overlaps the range of environment development (10.21.0.0/16)')],
    ]);
    expect(found(report, "name-length-limits")).toEqual([[`acme-production-api-${"9".repeat(60)}`, expect.stringContaining("(name, 80 characters); DigitalOcean allows at most 63")]]);
    expect(found(report, "required-tags")).toEqual([[`acme-production-api-${"9".repeat(60)}`, expect.stringContaining("lacks the tags tenant, environment, managed-by")]]);
  });

  it("allows the protected, disjoint, tagged and short-named counterparts", async () => {
    const report = await check(
      "digitalocean",
      () => {
        droplet("acme-production-api-1");
        droplet("acme-production-api-2");
        new digitalocean.Vpc("acme-production-net", { name: "acme-production-net", region: "ams3", ipRange: "10.20.0.0/16" });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });
});

describe("DigitalOcean: the hooli sample's real components", () => {
  it("pass every rule, mandatory and advisory, in every environment", async () => {
    const platform = platformOf(sampleSpec("hooli"));
    const report = await checkPlan(await planOffline(platform, platform.environments), [tenantPolicyConfig(platform)]);
    expect(report.violations).toEqual([]);
    expect(report.summary).toEqual({ mandatory: 0, advisory: 0, passed: true });
  });

  it("draw the redundancy advisory for a production tier of one droplet, which the spec asked for", async () => {
    const spec = sampleSpec("hooli");
    spec.environments.production!.tiers.api!.count = 1;
    const platform = platformOf(spec);
    const report = await checkPlan(await planOffline(platform, platform.environments.slice(0, 1)), [tenantPolicyConfig(platform)]);
    expect(found(report, "digitalocean-production-redundancy")).toEqual([["hooli-production-api-1", expect.stringContaining('tier "api" of production runs on 1 server')]]);
    expect(report.summary.passed).toBe(true);
  });
});

/** Every rule on Azure: a failing and a passing case, from azure-native resources under the mock runtime. */
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { check, found, MANAGEMENT, TENANT_CONFIG, tags } from "../support/policy-check.js";

type Rule = network.NetworkSecurityGroupArgs["securityRules"];

const group = (environment = "production") => new resources.ResourceGroup(`acme-${environment}`, { resourceGroupName: `acme-${environment}`, tags: tags(environment) });

function rule(name: string, source: string, ports: string, extra: Record<string, unknown> = {}) {
  return { name, priority: 100, access: "Allow", direction: "Inbound", protocol: "Tcp", sourcePortRange: "*", destinationAddressPrefix: "*", sourceAddressPrefix: source, destinationPortRange: ports, ...extra };
}

function nsg(name: string, tier: string, securityRules: Rule, environment = "production") {
  // By name: a program holds each resource group once, and several groups are built per test.
  return new network.NetworkSecurityGroup(name, { resourceGroupName: `acme-${environment}`, networkSecurityGroupName: name, securityRules, tags: tags(environment, tier) });
}

interface VmOptions {
  environment?: string;
  tier?: string;
  availabilitySet?: pulumi.Input<string>;
  zones?: string[];
  encryptionAtHost?: boolean;
  protect?: boolean;
  diskEncryptionSet?: string;
}

function vm(name: string, options: VmOptions = {}) {
  const { environment = "production", tier = "api" } = options;
  return new compute.VirtualMachine(
    name,
    {
      resourceGroupName: `acme-${environment}`,
      vmName: name,
      ...(options.availabilitySet ? { availabilitySet: { id: options.availabilitySet } } : {}),
      ...(options.zones ? { zones: options.zones } : {}),
      ...(options.encryptionAtHost === false ? {} : { securityProfile: { encryptionAtHost: true } }),
      storageProfile: {
        osDisk: {
          createOption: "FromImage",
          managedDisk: { storageAccountType: "Premium_LRS", ...(options.diskEncryptionSet ? { diskEncryptionSet: { id: options.diskEncryptionSet } } : {}) },
        },
      },
      tags: tags(environment, tier),
    },
    { protect: options.protect ?? environment === "production" },
  );
}

function availabilitySet(tier: string) {
  return new compute.AvailabilitySet(`acme-production-${tier}-ha`, { resourceGroupName: "acme-production", sku: { name: "Aligned" }, tags: tags("production", tier) });
}

function publicIp(name: string, tier?: string) {
  return new network.PublicIPAddress(name, { resourceGroupName: "acme-production", sku: { name: "Standard" }, tags: tags("production", tier) }, { protect: true });
}

function nic(name: string, tier: string, ip?: network.PublicIPAddress) {
  return new network.NetworkInterface(name, {
    resourceGroupName: "acme-production",
    ipConfigurations: [{ name: "ipconfig", privateIPAddress: "10.20.1.5", ...(ip ? { publicIPAddress: { id: ip.id } } : {}) }],
    tags: tags("production", tier),
  });
}

describe("Azure: public addresses", () => {
  it("refuses a public IP on a tier's network interface", async () => {
    const report = await check("azure", () => {
      nic("acme-production-api-1-nic", "api", publicIp("api-ip"));
    });
    expect(found(report, "public-addresses-proxy-only")).toEqual([
      ["acme-production-api-1-nic", expect.stringMatching(/network interface "acme-production-api-1-nic" has a public IP address \(ipConfigurations\[0\]\.publicIPAddress\).*remove the public IP address/)],
      ["api-ip", expect.stringMatching(/public IP address "api-ip" is a public address and belongs to api, but only the proxy and NAT gateways may have one/)],
    ]);
  });

  it("allows public IPs on the proxy and on a NAT gateway", async () => {
    const report = await check("azure", () => {
      nic("acme-production-proxy-1-nic", "proxy", publicIp("proxy-ip"));
      new network.NatGateway("nat", { resourceGroupName: "acme-production", publicIpAddresses: [{ id: publicIp("nat-ip").id }], tags: tags("production") });
    });
    expect(report.violations).toEqual([]);
  });
});

describe("Azure: ingress", () => {
  it("refuses any port but 80 and 443 from the internet, inline or as a standalone rule", async () => {
    const report = await check("azure", () => {
      const proxy = nsg("acme-production-proxy-fw", "proxy", [rule("web", "Internet", "80"), rule("app", "*", "3000-3001")]);
      new network.SecurityRule("all-open", {
        resourceGroupName: "acme-production",
        networkSecurityGroupName: proxy.name,
        ...rule("everything", "0.0.0.0/0", "*"),
      });
    });
    expect(found(report, "public-ingress-web-ports-only")).toEqual([
      ["acme-production-proxy-fw", expect.stringContaining('rule "app" opens ports 3000-3001 to *. Only 80 and 443 may be open to the internet')],
      ["all-open", expect.stringContaining('security rule "all-open": rule "everything" opens all ports to 0.0.0.0/0')],
    ]);
  });

  it("refuses SSH from the internet and from public ranges outside the management ranges", async () => {
    const report = await check(
      "azure",
      () => {
        nsg("acme-production-proxy-fw", "proxy", [rule("ssh", "*", "22"), rule("ssh-office", "198.51.100.0/24", "22")]);
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "ssh-from-management-only")).toEqual([
      ["acme-production-proxy-fw", `network security group "acme-production-proxy-fw": rule "ssh" opens SSH to *. Allow SSH only from the management ranges (${MANAGEMENT}).`],
      ["acme-production-proxy-fw", expect.stringContaining('rule "ssh-office" opens SSH to 198.51.100.0/24')],
    ]);
  });

  it("refuses SSH from anywhere public when no management range is configured", async () => {
    const report = await check("azure", () => {
      nsg("acme-production-proxy-fw", "proxy", [rule("ssh", MANAGEMENT, "22")]);
    });
    expect(found(report, "ssh-from-management-only")).toEqual([["acme-production-proxy-fw", expect.stringContaining("private addresses (no management ranges are configured)")]]);
  });

  it("allows the proxy's web and SSH rules and a tier's private rules", async () => {
    const report = await check(
      "azure",
      () => {
        nsg("acme-production-proxy-fw", "proxy", [
          rule("web", "Internet", "", { destinationPortRange: undefined, destinationPortRanges: ["80", "443"] }),
          rule("ssh", "", "22", { sourceAddressPrefix: undefined, sourceAddressPrefixes: [MANAGEMENT] }),
        ]);
        nsg("acme-production-api-fw", "api", [
          rule("app", "10.20.0.0/24", "8080"),
          rule("probe", "AzureLoadBalancer", "8080"),
          rule("ssh", "10.20.0.0/24", "22"),
          rule("deny-rest", "*", "*", { access: "Deny" }),
        ]);
      },
      { config: [TENANT_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });

  it("refuses public sources on a tier's rules, found through its security group for a standalone rule", async () => {
    const report = await check("azure", () => {
      const api = nsg("acme-production-api-fw", "api", [rule("web", "Internet", "443")]);
      new network.SecurityRule("api-http", { resourceGroupName: "acme-production", networkSecurityGroupName: api.name, ...rule("http", "Internet", "80") });
    });
    expect(found(report, "public-ingress-proxy-only")).toEqual([
      ["acme-production-api-fw", expect.stringMatching(/network security group "acme-production-api-fw" belongs to api, not to the proxy, but admits public addresses \(rule "web" from Internet\)/)],
      ["api-http", expect.stringMatching(/security rule "api-http" belongs to api, not to the proxy, but admits public addresses/)],
    ]);
  });
});

describe("Azure: load balancers", () => {
  function loadBalancer(name: string, tier: string, frontend: Record<string, unknown>) {
    return new network.LoadBalancer(name, { resourceGroupName: "acme-production", sku: { name: "Standard" }, frontendIPConfigurations: [{ name: "fe", ...frontend }], tags: tags("production", tier) });
  }

  it("refuses a tier's public load balancer", async () => {
    const report = await check("azure", () => {
      loadBalancer("acme-production-api-lb", "api", { publicIPAddress: { id: publicIp("api-lb-ip", "api").id } });
    });
    expect(found(report, "load-balancers-internal")).toEqual([
      ["acme-production-api-lb", 'load balancer "acme-production-api-lb" has a public frontend (frontendIPConfigurations[0]) but is the load balancer of api: give its frontend a private IP address in the tier\'s subnet instead of a public IP.'],
    ]);
  });

  it("allows a tier's internal load balancer and the proxy's public one", async () => {
    const report = await check("azure", () => {
      loadBalancer("acme-production-api-lb", "api", { privateIPAddress: "10.20.1.4", privateIPAllocationMethod: "Static" });
      loadBalancer("acme-production-proxy-lb", "proxy", { publicIPAddress: { id: publicIp("proxy-lb-ip", "proxy").id } });
    });
    expect(report.violations).toEqual([]);
  });
});

describe("Azure: disks", () => {
  it("refuses a VM whose disks are not encrypted at host or with an encryption set", async () => {
    const report = await check("azure", () => {
      vm("acme-development-api-1", { environment: "development", encryptionAtHost: false });
    }, { environment: "development" });
    expect(found(report, "disks-encrypted")).toEqual([
      ["acme-development-api-1", 'VM "acme-development-api-1" has disks encrypted neither at host nor with a disk encryption set (the OS disk): set securityProfile.encryptionAtHost: true.'],
    ]);
  });

  it("allows encryption at host or a disk encryption set", async () => {
    const report = await check("azure", () => {
      vm("acme-development-api-1", { environment: "development" });
      vm("acme-development-api-2", { environment: "development", encryptionAtHost: false, diskEncryptionSet: "/subscriptions/0/des" });
    }, { environment: "development" });
    expect(report.violations).toEqual([]);
  });
});

describe("Azure: production availability", () => {
  it("refuses a production tier with one VM, and VMs outside an availability set", async () => {
    const report = await check("azure", () => {
      vm("acme-production-db-1", { tier: "db", availabilitySet: availabilitySet("db").id });
      vm("acme-production-api-1", { tier: "api" });
      vm("acme-production-api-2", { tier: "api", zones: ["1"] });
    });
    expect(found(report, "production-tiers-highly-available")).toEqual([
      ["acme-production-api-1", expect.stringContaining('VMs of tier "api" in production (acme-production-api-1, acme-production-api-2) are neither in an availability set nor spread over zones')],
      ["acme-production-db-1", 'tier "db" of production runs on 1 server (acme-production-db-1); production tiers need at least 2: raise its count.'],
    ]);
  });

  it("allows two VMs in an availability set or in two zones, and one VM outside production", async () => {
    const report = await check("azure", () => {
      const set = availabilitySet("db");
      vm("acme-production-db-1", { tier: "db", availabilitySet: set.id });
      vm("acme-production-db-2", { tier: "db", availabilitySet: set.id });
      vm("acme-production-api-1", { tier: "api", zones: ["1"] });
      vm("acme-production-api-2", { tier: "api", zones: ["2"] });
      vm("acme-development-api-1", { environment: "development" });
    });
    expect(report.violations).toEqual([]);
  });

  it("counts production by the configured environments", async () => {
    const report = await check(
      "azure",
      () => {
        vm("acme-development-api-1", { environment: "development", tier: "api", availabilitySet: "/subscriptions/0/as" });
      },
      { config: [{ "production-tiers-highly-available": { productionEnvironments: ["production", "development"] } }] },
    );
    expect(found(report, "production-tiers-highly-available")).toEqual([["acme-development-api-1", expect.stringContaining('tier "api" of development runs on 1 server')]]);
  });
});

describe("Azure: protection", () => {
  it("refuses an unprotected production VM and public IP", async () => {
    const report = await check("azure", () => {
      vm("acme-production-api-1", { protect: false, availabilitySet: "/as" });
      vm("acme-production-api-2", { availabilitySet: "/as" });
      new network.PublicIPAddress("acme-production-nat-ip", { resourceGroupName: "acme-production", tags: tags("production") });
    });
    expect(found(report, "production-stateful-protected")).toEqual([
      ["acme-production-api-1", 'VM "acme-production-api-1" holds data or an address in production but is not protected: create it with the resource option protect: true.'],
      ["acme-production-nat-ip", expect.stringContaining('public IP address "acme-production-nat-ip" holds data or an address in production but is not protected')],
    ]);
  });

  it("leaves other environments unprotected", async () => {
    const report = await check("azure", () => {
      vm("acme-development-api-1", { environment: "development", protect: false });
    }, { environment: "development" });
    expect(report.violations).toEqual([]);
  });
});

describe("Azure: networks", () => {
  const vnet = (name: string, prefixes: string[], environment = "production") =>
    new network.VirtualNetwork(name, { resourceGroupName: `acme-${environment}`, virtualNetworkName: name, addressSpace: { addressPrefixes: prefixes }, tags: tags(environment) });

  it("refuses a network overlapping another environment's range or another network of the stack", async () => {
    const report = await check(
      "azure",
      () => {
        vnet("acme-production-net", ["10.21.0.0/16"]);
        vnet("acme-production-extra", ["10.21.128.0/17"]);
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "environment-networks-disjoint")).toEqual([
      ["acme-production-extra", expect.stringContaining("(10.21.128.0/17) overlaps the range of environment development (10.21.0.0/16)")],
      ["acme-production-net", expect.stringContaining("(10.21.0.0/16) overlaps the range of environment development (10.21.0.0/16)")],
      ["acme-production-net", 'virtual network "acme-production-net" (10.21.0.0/16) overlaps virtual network "acme-production-extra" (10.21.128.0/17): give each network its own range.'],
    ]);
  });

  it("allows the environment's own range", async () => {
    const report = await check("azure", () => void vnet("acme-production-net", ["10.20.0.0/16"]), { config: [TENANT_CONFIG] });
    expect(report.violations).toEqual([]);
  });
});

describe("Azure: tags and names", () => {
  it("reports missing tags as advisory, and names beyond Azure's limits", async () => {
    const report = await check("azure", () => {
      new network.NetworkSecurityGroup("untagged-fw", { resourceGroupName: "acme-production", tags: { tenant: "acme" } });
      new network.VirtualNetwork("long-net", { resourceGroupName: "acme-production", virtualNetworkName: "n".repeat(65), tags: tags("production") });
    });
    expect(found(report, "required-tags")).toEqual([["untagged-fw", 'network security group "untagged-fw" lacks the tags environment, managed-by: add them to its tags.']]);
    expect(report.violations.find((violation) => violation.policy === "required-tags")?.level).toBe("advisory");
    expect(found(report, "name-length-limits")).toEqual([
      ["long-net", `virtual network "long-net" is named "${"n".repeat(65)}" (virtualNetworkName, 65 characters); Azure allows at most 64: shorten it.`],
    ]);
  });

  it("allows tagged resources with names in limits, and subnets, which take no tags", async () => {
    const report = await check("azure", () => {
      group();
      new network.Subnet("acme-production-api", { resourceGroupName: "acme-production", virtualNetworkName: "acme-production-net", addressPrefix: "10.20.1.0/24" });
    });
    expect(report.violations).toEqual([]);
  });
});

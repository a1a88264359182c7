/**
 * Cases at the edge of two rules, where a lenient reading would let a tier go public: an address
 * shared by the proxy and a tier, and a port range the rule cannot parse.
 */
import * as network from "@pulumi/azure-native/network/index.js";
import { describe, expect, it } from "vitest";
import { check, found, TENANT_CONFIG, tags } from "../support/policy-check.js";

function publicIp(name: string) {
  return new network.PublicIPAddress(name, { resourceGroupName: "acme-production", sku: { name: "Standard" }, tags: tags("production") }, { protect: true });
}

function nic(name: string, tier: string, ip: network.PublicIPAddress) {
  return new network.NetworkInterface(name, {
    resourceGroupName: "acme-production",
    ipConfigurations: [{ name: "ipconfig", privateIPAddress: "10.20.1.5", publicIPAddress: { id: ip.id } }],
    tags: tags("production", tier),
  });
}

function proxyRule(name: string, source: string, ports: string) {
  return { name, priority: 100, access: "Allow", direction: "Inbound", protocol: "Tcp", sourcePortRange: "*", destinationAddressPrefix: "*", sourceAddressPrefix: source, destinationPortRange: ports };
}

describe("only the proxy is public", () => {
  it("refuses an address attached to both a proxy's and a tier's network interface", async () => {
    const report = await check("azure", () => {
      const shared = publicIp("shared-ip");
      nic("acme-production-proxy-1-nic", "proxy", shared);
      nic("acme-production-api-1-nic", "api", shared);
    });
    expect(found(report, "public-addresses-proxy-only")).toEqual([
      ["acme-production-api-1-nic", expect.stringMatching(/network interface "acme-production-api-1-nic" has a public IP address/)],
      ["shared-ip", expect.stringMatching(/public IP address "shared-ip" is a public address and belongs to (proxy, api|api, proxy), but only the proxy/)],
    ]);
  });
});

describe("port ranges a rule cannot parse", () => {
  it('reads "http" as every port: refused from the internet, and as SSH from outside the management ranges', async () => {
    const report = await check(
      "azure",
      () => {
        new network.NetworkSecurityGroup("acme-production-proxy-fw", {
          resourceGroupName: "acme-production",
          networkSecurityGroupName: "acme-production-proxy-fw",
          securityRules: [proxyRule("named", "Internet", "http")],
          tags: tags("production", "proxy"),
        });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "public-ingress-web-ports-only")).toEqual([
      ["acme-production-proxy-fw", expect.stringMatching(/rule "named" opens all ports to Internet\. Only 80 and 443/)],
    ]);
    expect(found(report, "ssh-from-management-only")).toEqual([
      ["acme-production-proxy-fw", expect.stringMatching(/rule "named" opens SSH to Internet/)],
    ]);
  });
});

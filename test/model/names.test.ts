/** Every name handed to a cloud, exactly, and the length check at the cloud's limit. */
import { describe, expect, it } from "vitest";
import { checkName, dataDiskName, dnsZoneName, environmentNames, groupNames, hostName, targetGroupNames } from "../../model/names.js";

describe("names", () => {
  it("derives each resource's name from tenant, environment and group", () => {
    expect(environmentNames("acme", "production")).toEqual({ group: "acme-production", network: "acme-production-net", natGateway: "acme-production-nat" });
    expect(groupNames("acme", "production", "api")).toEqual({
      tag: "acme-production-api",
      subnet: "acme-production-api",
      securityGroup: "acme-production-api-fw",
      haGroup: "acme-production-api-ha",
      loadBalancer: "acme-production-api-lb",
      targetGroup: "acme-production-api-tg",
    });
    expect(hostName("acme", "production", "api", 2)).toBe("acme-production-api-2");
    expect(dataDiskName("acme-production-db-1")).toBe("acme-production-db-1-data");
    expect(dnsZoneName("acme", "production")).toBe("production.acme.internal");
  });

  it("appends the port to a target group's name only when its balancer has several", () => {
    expect(targetGroupNames({ targetGroupName: "acme-production-api-tg", ports: [8080] })).toEqual([{ port: 8080, name: "acme-production-api-tg" }]);
    expect(targetGroupNames({ targetGroupName: "acme-production-proxy-tg", ports: [80, 443] })).toEqual([
      { port: 80, name: "acme-production-proxy-tg-80" },
      { port: 443, name: "acme-production-proxy-tg-443" },
    ]);
  });

  it("accepts a name as long as the cloud allows and refuses one character more", () => {
    const reported: string[] = [];
    const report = (path: (string | number)[], message: string) => reported.push(`${path.join(".")}: ${message}`);
    checkName("aws", "loadBalancer", "a".repeat(32), ["tiers", "api"], report);
    expect(reported).toEqual([]);
    checkName("aws", "loadBalancer", "a".repeat(33), ["tiers", "api"], report);
    expect(reported).toEqual([
      `tiers.api: makes the AWS load balancer name "${"a".repeat(33)}" (33 characters); AWS allows at most 32: shorten the tenant, environment or tier name`,
    ]);
  });
});

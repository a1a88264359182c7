/** The offline planner: what it records of a program under the mock runtime, and that it says the same every time. */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import * as storage from "@pulumi/azure-native/storage/index.js";
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../engine/graph.js";
import { azureMocks } from "../../components/azure/mocks.js";
import { PLACEHOLDER_RANGE, placeholderAddresses } from "../../components/placeholders.js";
import { evaluateStack, planOffline } from "../../engine/offline.js";
import { containsAddress, mustParseCidr, parseAddress } from "../../model/cidr.js";
import { UserError } from "../../model/errors.js";
import { platformOf, samplePlatforms } from "../support/plan.js";
import { sampleSpec } from "../support/specs.js";

const acme = samplePlatforms().find((platform) => platform.tenant === "acme")!;

class Box extends pulumi.ComponentResource {
  readonly group: resources.ResourceGroup;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    this.group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: `${name}-rg`, location: "westeurope" }, { parent: this });
    this.registerOutputs({});
  }
}

describe("evaluateStack", () => {
  it("records implicit and explicit dependencies (a component in dependsOn stands for its resources) and engine URNs", async () => {
    const { resources: recorded } = await evaluateStack("acme-test", azureMocks(), async () => {
      const box = new Box("box");
      const later = new Box("later", { dependsOn: [box] });
      new network.VirtualNetwork("net", { resourceGroupName: later.group.name, virtualNetworkName: "net" }, { parent: later, dependsOn: [box] });
    });
    const urn = (name: string) => recorded.find((resource) => resource.name === name)!.urn;
    expect(urn("box-rg")).toBe("urn:pulumi:acme-test::botinfra::test:index:Box$azure-native:resources:ResourceGroup::box-rg");
    expect(urn("net")).toBe("urn:pulumi:acme-test::botinfra::test:index:Box$azure-native:network:VirtualNetwork::net");
    const net = recorded.find((resource) => resource.name === "net")!;
    expect(net.parent).toBe(urn("later"));
    expect(net.dependencies).toEqual([urn("box-rg"), urn("later-rg")].sort());
    expect(recorded.find((resource) => resource.name === "box")!.parent).toBeUndefined();
  });

  it("replaces secrets by the redaction marker, in inputs and in outputs", async () => {
    const { resources: recorded, outputs } = await evaluateStack("acme-test", azureMocks(), async () => {
      new resources.ResourceGroup("rg", { resourceGroupName: "rg", tags: { token: pulumi.secret("s3cr3t-value"), plain: "visible" } });
      return { token: pulumi.secret("s3cr3t-value") };
    });
    expect(recorded[0]!.inputs.tags).toEqual({ plain: "visible", token: REDACTED });
    expect(outputs).toEqual({ token: REDACTED });
    expect(JSON.stringify({ recorded, outputs })).not.toContain("s3cr3t-value");
  });

  it("fails on a resource type it has no Azure answer for, naming it", async () => {
    await expect(
      evaluateStack("acme-test", azureMocks(), async () => {
        new storage.StorageAccount("store", { resourceGroupName: "rg", kind: "StorageV2", sku: { name: "Standard_LRS" } });
      }),
    ).rejects.toThrow(/no Azure answer for azure-native:storage:StorageAccount/);
  });

  it("fails on a failure inside the program's outputs, and the next stack runs clean", async () => {
    await expect(
      evaluateStack("acme-test", azureMocks(), async () => {
        const group = new resources.ResourceGroup("rg", { resourceGroupName: "rg" });
        group.name.apply(() => {
          throw new Error("broken apply");
        });
      }),
    ).rejects.toThrow(/broken apply/);
    const { resources: recorded } = await evaluateStack("acme-next", azureMocks(), async () => {
      new resources.ResourceGroup("rg", { resourceGroupName: "rg" });
    });
    expect(recorded.map((resource) => resource.urn)).toEqual(["urn:pulumi:acme-next::botinfra::azure-native:resources:ResourceGroup::rg"]);
  });

  it("refuses two resources with one URN, as the engine would", async () => {
    await expect(
      evaluateStack("acme-test", azureMocks(), async () => {
        new resources.ResourceGroup("rg", { resourceGroupName: "rg" });
        new resources.ResourceGroup("rg", { resourceGroupName: "rg" });
      }),
    ).rejects.toThrow(/two resources have the URN/);
  });
});

describe("planOffline", () => {
  it("plans every environment's stack, the same bytes every time", async () => {
    const first = JSON.stringify(await planOffline(acme, acme.environments));
    const second = JSON.stringify(await planOffline(acme, acme.environments));
    expect(second).toBe(first);
    const plan = JSON.parse(first) as { tenant: string; cloud: string; stacks: { stack: string; environment: string }[] };
    expect([plan.tenant, plan.cloud]).toEqual(["acme", "azure"]);
    expect(plan.stacks.map((stack) => [stack.stack, stack.environment])).toEqual(acme.environments.map((environment) => [environment.stack, environment.name]));
  });

  it("plans one environment alone exactly as within the whole tenant", async () => {
    const whole = await planOffline(acme, acme.environments);
    const alone = await planOffline(acme, [acme.environments[1]!]);
    expect(alone.stacks).toEqual([whole.stacks[1]]);
  });

  it("refuses a cloud that has no components yet, with a message for the user", async () => {
    const aws = platformOf({ ...sampleSpec(), cloud: "aws", region: "eu-west-1", proxy: { size: "t3.small" }, environments: { production: { tiers: { api: { count: 1, size: "t3.small", port: 8080 } } } } });
    const failure = planOffline(aws, aws.environments);
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow("botinfra has no components for aws yet");
  });
});

describe("placeholder public addresses", () => {
  it("come from the documentation range, the same for the same key, distinct until the range runs out", () => {
    const range = mustParseCidr(PLACEHOLDER_RANGE);
    const keys = Array.from({ length: 254 }, (_, index) => `/subscriptions/x/publicIPAddresses/ip-${index}`);
    const first = keys.map(placeholderAddresses(PLACEHOLDER_RANGE));
    expect(keys.map(placeholderAddresses(PLACEHOLDER_RANGE))).toEqual(first);
    expect(new Set(first).size).toBe(254);
    expect(first.every((address) => containsAddress(range, parseAddress(address)) && !address.endsWith(".0") && !address.endsWith(".255"))).toBe(true);
  });
});

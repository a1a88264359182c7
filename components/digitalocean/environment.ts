/**
 * `botinfra:digitalocean:Environment`: what an environment's droplets share. A Project (DigitalOcean's
 * form of a resource group: every resource of the environment is attached to it), the VPC at the
 * model's range, the VPC NAT gateway that is the private droplets' default route (unless the spec
 * chose the proxy as NAT), and, in the tenant's first environment, the admin SSH keys (see ssh-keys.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import type { Environment, Platform } from "../../model/platform.js";
import { componentType } from "../component-types.js";
import { adminKeys, keysToUpload } from "./ssh-keys.js";

export interface DigitalOceanEnvironmentArgs {
  platform: Platform;
  environment: Environment;
}

/** DigitalOcean's project environments; every environment that is not production or staging is development. */
export function projectEnvironment(environment: Environment): "Production" | "Staging" | "Development" {
  if (environment.production) return "Production";
  return environment.name === "staging" ? "Staging" : "Development";
}

/** The smallest gateway; one unit carries the egress of a bot platform's environment. */
const NAT_GATEWAY_SIZE = 1;
const NAT_TIMEOUTS = { udpTimeoutSeconds: 30, icmpTimeoutSeconds: 30, tcpTimeoutSeconds: 300 };

export class DigitalOceanEnvironment extends pulumi.ComponentResource {
  readonly project: digitalocean.Project;
  readonly vpc: digitalocean.Vpc;
  readonly natGateway?: digitalocean.VpcNatGateway;
  /** How droplets name the admin keys: fingerprints, from the keys uploaded here when this stack owns them. */
  readonly sshKeys: pulumi.Input<string>[];

  constructor(name: string, args: DigitalOceanEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("digitalocean", "environment"), name, {}, opts);
    const { platform, environment } = args;
    const { names } = environment;
    const region = platform.region;
    const stateful = { parent: this, protect: environment.protect };

    this.project = new digitalocean.Project(
      names.group,
      {
        name: names.group,
        description: `botinfra: tenant ${platform.tenant}, environment ${environment.name}`,
        purpose: "Service or API",
        environment: projectEnvironment(environment),
      },
      stateful,
    );
    this.vpc = new digitalocean.Vpc(
      names.network,
      { name: names.network, region, ipRange: environment.cidr, description: `botinfra: ${environment.stack}` },
      stateful,
    );
    if (environment.egress === "nat-gateway") {
      this.natGateway = new digitalocean.VpcNatGateway(
        names.natGateway,
        {
          name: names.natGateway,
          region,
          type: "PUBLIC",
          size: NAT_GATEWAY_SIZE,
          vpcs: [{ vpcUuid: this.vpc.id, defaultGateway: true }],
          projectId: this.project.id,
          ...NAT_TIMEOUTS,
        },
        { parent: this },
      );
    }
    const uploaded = new Map(keysToUpload(platform, environment).map((key) => [key.name, new digitalocean.SshKey(key.name, { name: key.name, publicKey: key.publicKey }, { parent: this })]));
    this.sshKeys = adminKeys(platform).map((key) => uploaded.get(key.name)?.fingerprint ?? key.fingerprint);

    this.registerOutputs({ projectId: this.project.id, vpcId: this.vpc.id, natGatewayId: this.natGateway?.id });
  }
}

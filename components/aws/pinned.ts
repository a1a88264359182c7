/**
 * What AWS looks up once and the stack pins in its config, so that nothing moves by surprise: the
 * region's availability zones (a new zone in the list would move subnets) and the Debian 12 image per
 * architecture (a new image would replace every server). A stack without them fails with the values
 * found and the commands that pin them; `botinfra plan` supplies placeholders (offlineConfig).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { HALF_COUNT } from "../../model/addresses.js";
import { CONFIG_NAMESPACE } from "../../stacks/config.js";

/** `botinfra:zones`: the zone names, one per half of every subnet, in order. */
export const ZONES_KEY = "zones";
/** `botinfra:images`: the Debian 12 image id per architecture the environment's sizes need. */
export const IMAGES_KEY = "images";

export type Architecture = "amd64" | "arm64";
/** Debian's own AWS account: the images the Debian cloud team publishes. */
export const DEBIAN_OWNER = "136693071363";
const AWS_ARCHITECTURE: Record<Architecture, string> = { amd64: "x86_64", arm64: "arm64" };

/** Graviton sizes (t4g, m7g, c7gn, r8gd, ...) run arm64; every other size amd64. */
export function architectureOf(size: string): Architecture {
  return /^[a-z]+\d+g[a-z]*\./.test(size) ? "arm64" : "amd64";
}

const pinCommand = (key: string, value: string) => `pulumi config set --path '${CONFIG_NAMESPACE}:${key}' ${value}`;

function notPinned(what: string, commands: string[]): pulumi.RunError {
  return new pulumi.RunError(`${CONFIG_NAMESPACE}:${what} is not pinned in stack ${pulumi.getStack()}'s config; pin it once with:\n  ${commands.join("\n  ")}\n(or rerun after \`pulumi config set\` with values of your choice)`);
}

/** The zones of the stack's config; without them, the region's first zones are looked up and the run stops to pin them. */
export function pinnedZones(parent: pulumi.Resource): pulumi.Output<string[]> {
  const pinned = new pulumi.Config(CONFIG_NAMESPACE).getObject<string[]>(ZONES_KEY);
  if (pinned !== undefined) {
    if (!Array.isArray(pinned) || pinned.length < HALF_COUNT || !pinned.every((zone) => typeof zone === "string" && zone.length > 0)) {
      throw new pulumi.RunError(`${CONFIG_NAMESPACE}:${ZONES_KEY} must list ${HALF_COUNT} availability zone names, such as ["eu-west-1a", "eu-west-1b"]`);
    }
    return pulumi.output(pinned.slice(0, HALF_COUNT));
  }
  return aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }, { parent }).apply((found) => {
    const zones = found.names.slice(0, HALF_COUNT);
    throw notPinned(ZONES_KEY, zones.map((zone, index) => pinCommand(`${ZONES_KEY}[${index}]`, zone)));
  });
}

/** The image for an architecture, from the stack's config; without it, Debian's newest is looked up and the run stops to pin it. */
export function pinnedImage(architecture: Architecture, parent: pulumi.Resource): pulumi.Output<string> {
  const pinned = new pulumi.Config(CONFIG_NAMESPACE).getObject<Partial<Record<Architecture, string>>>(IMAGES_KEY)?.[architecture];
  if (pinned !== undefined) {
    if (typeof pinned !== "string" || !/^ami-[0-9a-f]{8,17}$/.test(pinned)) throw new pulumi.RunError(`${CONFIG_NAMESPACE}:${IMAGES_KEY}.${architecture} must be an AMI id such as ami-0123456789abcdef0`);
    return pulumi.output(pinned);
  }
  return aws.ec2
    .getAmiOutput(
      {
        owners: [DEBIAN_OWNER],
        mostRecent: true,
        filters: [
          { name: "name", values: [`debian-12-${architecture}-*`] },
          { name: "architecture", values: [AWS_ARCHITECTURE[architecture]] },
        ],
      },
      { parent },
    )
    .apply((image) => {
      throw notPinned(`${IMAGES_KEY}.${architecture}`, [`${pinCommand(`${IMAGES_KEY}.${architecture}`, image.id)}    # ${image.name}`]);
    });
}

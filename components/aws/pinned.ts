/**
 * What AWS looks up once and the stack pins in its config, so that nothing moves by surprise: the
 * region's availability zones (a new zone in the list would move subnets) and the Debian 12 image per
 * architecture (a new image would replace every server). A stack without them builds nothing: it
 * looks them up and stops with the values found and the commands that pin them. `botinfra plan`
 * supplies placeholders (the module's offlineConfig).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { HALF_COUNT } from "../../model/addresses.js";
import type { Environment } from "../../model/platform.js";
import { CONFIG_NAMESPACE } from "../../stacks/config.js";

/** `botinfra:zones`: the zone names, one per half of every subnet, in order. */
export const ZONES_KEY = "zones";
/** `botinfra:images`: the Debian 12 image id per architecture the environment's sizes need. */
export const IMAGES_KEY = "images";

export type Architecture = "amd64" | "arm64";
/** Debian's own AWS account: the images the Debian cloud team publishes. */
export const DEBIAN_OWNER = "136693071363";
const AWS_ARCHITECTURE: Record<Architecture, string> = { amd64: "x86_64", arm64: "arm64" };
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/** Graviton sizes (t4g, m7g, c7gn, r8gd, ..., and the first Graviton's a1) run arm64; every other size amd64. */
export function architectureOf(size: string): Architecture {
  return /^(a1|[a-z]+\d+g[a-z]*)\./.test(size) ? "arm64" : "amd64";
}

export interface Pins {
  zones: string[];
  images: Partial<Record<Architecture, string>>;
}

/** The architectures the environment's servers need an image for, in a stable order. */
export function architecturesOf(environment: Environment): Architecture[] {
  const sizes = [environment.proxy, ...environment.tiers].flatMap((group) => group.hosts.map((host) => host.size));
  return (["amd64", "arm64"] as const).filter((architecture) => sizes.some((size) => architectureOf(size) === architecture));
}

/** The stack's pins, checked; `missing` lists what is not pinned yet. A pinned value of the wrong shape is refused. */
export function readPins(environment: Environment): { pins: Pins; missing: { zones: boolean; images: Architecture[] } } {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const zones = config.getObject<unknown>(ZONES_KEY);
  if (zones !== undefined && !(Array.isArray(zones) && zones.length === HALF_COUNT && zones.every((zone) => typeof zone === "string" && zone.length > 0))) {
    throw new pulumi.RunError(`${CONFIG_NAMESPACE}:${ZONES_KEY} must list ${HALF_COUNT} availability zone names, such as ["eu-west-1a", "eu-west-1b"]`);
  }
  const images = config.getObject<Partial<Record<Architecture, unknown>>>(IMAGES_KEY) ?? {};
  for (const [architecture, image] of Object.entries(images)) {
    if (typeof image !== "string" || !AMI_ID.test(image)) throw new pulumi.RunError(`${CONFIG_NAMESPACE}:${IMAGES_KEY}.${architecture} must be an AMI id such as ami-0123456789abcdef0`);
  }
  return {
    pins: { zones: (zones as string[] | undefined) ?? [], images: images as Pins["images"] },
    missing: { zones: zones === undefined, images: architecturesOf(environment).filter((architecture) => images[architecture] === undefined) },
  };
}

const pinCommand = (key: string, value: string) => `pulumi config set --path '${CONFIG_NAMESPACE}:${key}' ${value}`;

/**
 * Looks up what is missing (the region's first zones, Debian's newest image per architecture) and
 * fails with the commands that pin it: an Output that never resolves to a value.
 */
export function refuseUnpinned<T>(missing: { zones: boolean; images: Architecture[] }, parent: pulumi.Resource): pulumi.Output<T> {
  const zones = missing.zones
    ? aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }, { parent }).apply((found) =>
        found.names.slice(0, HALF_COUNT).map((zone, index) => pinCommand(`${ZONES_KEY}[${index}]`, zone)),
      )
    : pulumi.output([] as string[]);
  const images = missing.images.map((architecture) =>
    aws.ec2
      .getAmiOutput(
        {
          owners: [DEBIAN_OWNER],
          mostRecent: true,
          // Debian's dated releases only (debian-12-amd64-20250101-1234), never a daily or backports image.
          nameRegex: `^debian-12-${architecture}-\\d{8}-\\d+$`,
          filters: [
            { name: "name", values: [`debian-12-${architecture}-*`] },
            { name: "architecture", values: [AWS_ARCHITECTURE[architecture]] },
          ],
        },
        { parent },
      )
      .apply((image) => `${pinCommand(`${IMAGES_KEY}.${architecture}`, image.id)}    # ${image.name}`),
  );
  return pulumi.all([zones, pulumi.all(images)]).apply(([zoneCommands, imageCommands]): T => {
    const what = [...(missing.zones ? [`${CONFIG_NAMESPACE}:${ZONES_KEY}`] : []), ...missing.images.map((architecture) => `${CONFIG_NAMESPACE}:${IMAGES_KEY}.${architecture}`)];
    throw new pulumi.RunError(
      `${what.join(" and ")} ${what.length === 1 ? "is" : "are"} not pinned in stack ${pulumi.getStack()}'s config, so nothing was built; ` +
        `pin ${what.length === 1 ? "it" : "them"} once (these are the values AWS reports now), then run again:\n  ${[...zoneCommands, ...imageCommands].join("\n  ")}`,
    );
  });
}

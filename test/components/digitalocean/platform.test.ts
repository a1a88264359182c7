/**
 * The whole stack of every environment of every DigitalOcean sample tenant, planned as `botinfra plan`
 * plans it: what the model promises must be what the resources say.
 */
import { describe, expect, it } from "vitest";
import { INTERNET_V6 } from "../../../components/digitalocean/firewall-rules.js";
import { privatePlaceholderRange } from "../../../components/digitalocean/mocks.js";
import { sshFingerprint } from "../../../components/digitalocean/ssh-keys.js";
import { containsAddress, mustParseCidr, parseAddress } from "../../../model/cidr.js";
import { INTERNET, type Environment, type Platform, type ServerGroup } from "../../../model/platform.js";
import { formatSshPublicKey } from "../../../model/ssh.js";
import { tagNames } from "../../../model/tags.js";
import { inputsOf, Resources, plannedOnce, samplePlatforms } from "../../support/plan.js";

const DO = (type: string) => `digitalocean:index/${type[0]!.toLowerCase()}${type.slice(1)}:${type}`;

interface DropletInputs {
  name: string;
  image: string;
  size: string;
  region: string;
  vpcUuid: string;
  publicNetworking: boolean;
  monitoring: boolean;
  ipv6: boolean;
  sshKeys: string[];
  tags: string[];
}
interface FirewallInputs {
  tags: string[];
  inboundRules: { protocol: string; portRange: string; sourceAddresses?: string[]; sourceTags?: string[]; sourceLoadBalancerUids?: string[] }[];
  outboundRules: { protocol: string; destinationAddresses: string[] }[];
}
interface BalancerInputs {
  network: string;
  vpcUuid: string;
  dropletTag: string;
  forwardingRules: { entryPort: number; entryProtocol: string; targetPort: number; targetProtocol: string }[];
  healthcheck: { protocol: string; port: number };
}

const platforms = samplePlatforms().filter((platform) => platform.cloud === "digitalocean");

describe.each(platforms.map((platform) => [platform.tenant, platform] as const))("the DigitalOcean stacks of %s", (_tenant, platform: Platform) => {
  const planned = plannedOnce(platform);

  describe.each(platform.environments.map((environment) => [environment.name, environment] as const))("%s", (_name, environment: Environment) => {
    const groups = [environment.proxy, ...environment.tiers];
    const get = () => planned.get(environment.name)!;
    const componentOf = (resources: Resources, group: ServerGroup) =>
      resources.named(group.kind === "proxy" ? "botinfra:digitalocean:ReverseProxy" : "botinfra:digitalocean:Tier", group.name);
    const childrenOfType = (resources: Resources, group: ServerGroup, type: string) => resources.childrenOf(componentOf(resources, group)).filter((resource) => resource.type === DO(type));
    const vpcId = () => get().resources.named(DO("Vpc"), environment.names.network);

    it("has a project of the right DigitalOcean environment and a VPC at the model's range", () => {
      const { resources } = get();
      expect(resources.named(DO("Project"), environment.names.group).inputs).toEqual({
        name: environment.names.group,
        description: `botinfra: tenant hooli, environment ${environment.name}`,
        purpose: "Service or API",
        environment: environment.production ? "Production" : "Development",
      });
      expect(vpcId().inputs).toEqual({ name: environment.names.network, region: "ams3", ipRange: environment.cidr, description: `botinfra: hooli-${environment.name}` });
    });

    it("makes the NAT gateway the VPC's default route", () => {
      const { resources } = get();
      const [gateway, ...others] = resources.ofType(DO("VpcNatGateway"));
      expect(others).toEqual([]);
      expect(gateway!.inputs).toMatchObject({
        name: environment.names.natGateway,
        type: "PUBLIC",
        region: "ams3",
        size: 1,
        vpcs: [{ defaultGateway: true }],
        udpTimeoutSeconds: 30,
        icmpTimeoutSeconds: 30,
        tcpTimeoutSeconds: 300,
      });
      expect(gateway!.dependencies).toContain(vpcId().urn);
    });

    it("runs each host of the model as a Debian 12 droplet in the VPC, with monitoring and the admin keys, private unless it is a proxy", () => {
      const { resources } = get();
      const fingerprints = platform.admin.sshPublicKeys.map(sshFingerprint);
      for (const group of groups) {
        const droplets = childrenOfType(resources, group, "Droplet");
        expect(droplets.map((droplet) => droplet.name)).toEqual(group.hosts.map((host) => host.name));
        for (const droplet of droplets) {
          const inputs = inputsOf<DropletInputs>(droplet);
          expect(inputs).toMatchObject({ image: "debian-12-x64", region: platform.region, size: group.size, monitoring: true, ipv6: false, publicNetworking: group.kind === "proxy", sshKeys: fingerprints });
          expect(droplet.dependencies).toContain(vpcId().urn);
        }
      }
    });

    it("tags each droplet with its group's tag, unique to the tenant, environment and group, and botinfra's key:value tags", () => {
      const { resources } = get();
      for (const group of groups) {
        for (const droplet of childrenOfType(resources, group, "Droplet")) {
          expect(inputsOf<DropletInputs>(droplet).tags).toEqual([`${platform.tenant}-${environment.name}-${group.name}`, ...tagNames(group.tags)]);
        }
      }
    });

    it("guards each group with one firewall on its own tag, whose rules are the model's peers and nothing else", () => {
      const { resources } = get();
      const tagOf = new Map(groups.map((group) => [group.name, group.names.tag]));
      for (const group of groups) {
        const [firewall, ...others] = childrenOfType(resources, group, "Firewall");
        expect(others).toEqual([]);
        const inputs = inputsOf<FirewallInputs>(firewall!);
        expect(inputs.tags).toEqual([group.names.tag]);
        const balancer = group.loadBalancer ? resources.named(DO("LoadBalancer"), group.loadBalancer.name) : undefined;
        const expected = group.ingress.flatMap((rule) =>
          rule.ports.map((port) => ({
            port: String(port),
            addresses: rule.peers.flatMap((peer) => (peer.kind === "internet" ? [INTERNET, INTERNET_V6] : peer.kind === "management" ? platform.managementCidrs : [])),
            tags: rule.peers.flatMap((peer) => (peer.kind === "proxy" ? [tagOf.get("proxy")!] : peer.kind === "tier" ? [tagOf.get(peer.tier)!] : [])).sort(),
            balancers: rule.peers.some((peer) => peer.kind === "probes") ? [balancer!.urn] : [],
          })),
        );
        const actual = inputs.inboundRules.map((rule) => ({
          port: rule.portRange,
          addresses: rule.sourceAddresses ?? [],
          tags: rule.sourceTags ?? [],
          // A balancer's id is known only once it exists: the firewall depends on the group's own balancer (below).
          balancers: (rule.sourceLoadBalancerUids ?? []).map((uid) => (/^[0-9a-f-]{36}$/.test(uid) ? balancer?.urn : uid)),
        }));
        expect(actual).toEqual(expected);
        if (balancer) expect(firewall!.dependencies).toContain(balancer.urn);
        expect(inputs.outboundRules.map((rule) => rule.protocol)).toEqual(["tcp", "udp", "icmp"]);
      }
    });

    it("fronts each stateless tier with an internal TCP balancer in the VPC on its tag, and a stateful tier with none", () => {
      const { resources } = get();
      for (const tier of environment.tiers) {
        const balancers = childrenOfType(resources, tier, "LoadBalancer");
        if (tier.stateful) {
          expect(balancers).toEqual([]);
          continue;
        }
        expect(balancers.map((balancer) => balancer.name)).toEqual([tier.loadBalancer!.name]);
        expect(inputsOf<BalancerInputs>(balancers[0]!)).toMatchObject({
          network: "INTERNAL",
          dropletTag: tier.names.tag,
          forwardingRules: [{ entryPort: tier.port, entryProtocol: "tcp", targetPort: tier.port, targetProtocol: "tcp" }],
          healthcheck: { protocol: "tcp", port: tier.port },
        });
        expect(balancers[0]!.dependencies).toContain(vpcId().urn);
      }
    });

    it("gives the proxies a public TCP balancer for 80 and 443 when there are several, else a reserved IP on the one proxy", () => {
      const { resources } = get();
      const proxy = environment.proxy;
      const balancers = childrenOfType(resources, proxy, "LoadBalancer");
      const reserved = childrenOfType(resources, proxy, "ReservedIp");
      if (proxy.hosts.length > 1) {
        expect(reserved).toEqual([]);
        expect(balancers.map((balancer) => inputsOf<BalancerInputs>(balancer))).toEqual([
          expect.objectContaining({
            network: "EXTERNAL",
            dropletTag: proxy.names.tag,
            forwardingRules: [80, 443].map((port) => ({ entryPort: port, entryProtocol: "tcp", targetPort: port, targetProtocol: "tcp" })),
          }),
        ]);
      } else {
        expect(balancers).toEqual([]);
        expect(reserved).toHaveLength(1);
        const [assignment] = childrenOfType(resources, proxy, "ReservedIpAssignment");
        expect(assignment!.dependencies).toEqual(expect.arrayContaining([reserved[0]!.urn, resources.named(DO("Droplet"), proxy.hosts[0]!.name).urn]));
      }
    });

    it("gives each stateful server a volume of the model's size and name, attached by id", () => {
      const { resources } = get();
      const hosts = groups.flatMap((group) => group.hosts).filter((host) => host.dataDisk);
      expect(resources.ofType(DO("Volume")).map((volume) => [volume.name, inputsOf<{ size: number; description: string }>(volume)])).toEqual(
        hosts.map((host) => [host.dataDisk!.name, expect.objectContaining({ size: host.dataDisk!.sizeGb, description: `botinfra: data of ${host.name}` })]),
      );
      for (const host of hosts) {
        const attachment = resources.named(DO("VolumeAttachment"), `${host.dataDisk!.name}-attachment`);
        expect(attachment.dependencies).toEqual([resources.named(DO("Droplet"), host.name).urn, resources.named(DO("Volume"), host.dataDisk!.name).urn].sort());
      }
    });

    it("attaches every droplet, volume, load balancer and reserved IP to the environment's project", () => {
      const { resources } = get();
      const [attached] = resources.ofType(DO("ProjectResources"));
      const expected = ["Droplet", "Volume", "LoadBalancer", "ReservedIp"].flatMap((type) => resources.ofType(DO(type)).map((resource) => resource.urn));
      expect(attached!.dependencies).toEqual(expect.arrayContaining([...expected, resources.named(DO("Project"), environment.names.group).urn]));
      expect(inputsOf<{ resources: string[] }>(attached!).resources).toHaveLength(expected.length);
    });

    // Expected from the environment's name, not from the model's own flag: production is protected.
    const production = environment.name === "production";
    it(`${production ? "protects" : "protects nothing, not even"} the project, the VPC, the droplets, their volumes and the public addresses`, () => {
      const { resources } = get();
      const protectedOnes = resources.all.filter((resource) => resource.protect).map((resource) => resource.type);
      const stateful = ["Project", "Vpc", "Droplet", "Volume", "ReservedIp"].flatMap((type) => resources.ofType(DO(type)).map(() => DO(type)));
      const publicBalancer = environment.proxy.loadBalancer ? [DO("LoadBalancer")] : [];
      expect(protectedOnes.sort()).toEqual(production ? [...stateful, ...publicBalancer].sort() : []);
    });

    it("exports the private addresses DigitalOcean assigns (offline, placeholders inside the environment's range)", () => {
      const { outputs } = get().stack;
      const placeholders = mustParseCidr(privatePlaceholderRange(environment.cidr));
      for (const host of outputs.hosts) expect(containsAddress(placeholders, parseAddress(host.privateIp!))).toBe(true);
      for (const balancer of outputs.loadBalancers.filter((candidate) => !candidate.public)) expect(containsAddress(placeholders, parseAddress(balancer.privateIp!))).toBe(true);
    });
  });

  it("uploads the admin keys in the first environment only; the others name them by fingerprint", () => {
    const [first, ...rest] = platform.environments;
    expect(planned.get(first!.name)!.resources.ofType(DO("SshKey")).map((key) => inputsOf<{ publicKey: string }>(key).publicKey)).toEqual(platform.admin.sshPublicKeys.map(formatSshPublicKey));
    for (const environment of rest) expect(planned.get(environment.name)!.resources.ofType(DO("SshKey"))).toEqual([]);
  });
});

describe("sample tenants", () => {
  it("include a DigitalOcean tenant with production, development and a stateful tier", () => {
    const hooli = platforms.find((platform) => platform.tenant === "hooli")!;
    expect(hooli.environments.map((environment) => environment.name)).toEqual(["production", "development"]);
    expect(hooli.environments.every((environment) => environment.tiers.some((tier) => tier.stateful))).toBe(true);
  });
});

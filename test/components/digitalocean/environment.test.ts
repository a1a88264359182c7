/** What an environment's droplets share on DigitalOcean: its project, its VPC, its way out and the admin keys. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectEnvironment } from "../../../components/digitalocean/environment.js";
import { digitalOceanMocks } from "../../../components/digitalocean/mocks.js";
import { adminKeys, keysToUpload, sshFingerprint } from "../../../components/digitalocean/ssh-keys.js";
import { evaluateStack } from "../../../engine/offline.js";
import { buildPlatform, type Environment, type Platform } from "../../../model/platform.js";
import { parseSshPublicKey } from "../../../model/ssh.js";
import { runProgram } from "../../../stacks/program.js";
import { environmentOf, platformOf, Resources } from "../../support/plan.js";
import { sampleSpec, VALID_SSH_KEY } from "../../support/specs.js";

async function stackOf(platform: Platform, environment: Environment): Promise<Resources> {
  const { resources, outputs } = await evaluateStack(environment.stack, digitalOceanMocks(), () => runProgram(platform, environment));
  return new Resources(resources, outputs);
}

describe("the environment", () => {
  it("has no NAT gateway when the spec chooses the proxy as NAT", async () => {
    const spec = sampleSpec("hooli");
    spec.egress = "proxy";
    const platform = platformOf(spec);
    const development = environmentOf(platform, "development");
    expect(development.egress).toBe("proxy");
    const resources = await stackOf(platform, development);
    expect(resources.ofType("digitalocean:index/vpcNatGateway:VpcNatGateway")).toEqual([]);
    expect(resources.ofType("digitalocean:index/vpc:Vpc")).toHaveLength(1);
  });

  it("offers the proxy as NAT only where the cloud's profile does: Azure refuses it, naming the field", () => {
    const spec = sampleSpec();
    spec.egress = "proxy";
    expect(buildPlatform(spec).issues).toEqual([{ path: ["egress"], message: 'found "proxy", which Azure does not offer; allowed on Azure: nat-gateway' }]);
  });

  it("is a DigitalOcean project environment: Production, Staging, or Development for any other", () => {
    const spec = sampleSpec("hooli");
    spec.environments.staging = { ...spec.environments.development!, cidr: "10.42.0.0/16" };
    spec.environments.qa = { ...spec.environments.development!, cidr: "10.43.0.0/16" };
    const platform = platformOf(spec);
    expect(platform.environments.map((environment) => [environment.name, projectEnvironment(environment)])).toEqual([
      ["production", "Production"],
      ["development", "Development"],
      ["staging", "Staging"],
      ["qa", "Development"],
    ]);
  });
});

describe("the admin keys", () => {
  const validKey = parseSshPublicKey(VALID_SSH_KEY).key!;

  it("carry the fingerprint ssh-keygen gives (MD5), which droplets name them by", () => {
    const fingerprint = execFileSync("ssh-keygen", ["-l", "-E", "md5", "-f", "-"], { input: `${VALID_SSH_KEY}\n`, encoding: "utf8" }).split(" ")[1];
    expect(`MD5:${sshFingerprint(validKey)}`).toBe(fingerprint);
  });

  it("are uploaded by the tenant's first environment only, and not at all when another tenant of the account uploads them", async () => {
    const platform = platformOf(sampleSpec("hooli"));
    const [production, development] = platform.environments;
    expect(keysToUpload(platform, production!).map((key) => key.name)).toEqual(["hooli-admin-1"]);
    expect(keysToUpload(platform, development!)).toEqual([]);

    const body = platform.admin.sshPublicKeys[0]!.body;
    const built = buildPlatform(sampleSpec("hooli"), { keysUploadedElsewhere: { [body]: "aardvark" } });
    const second = built.platform!;
    expect(adminKeys(second)).toEqual([expect.objectContaining({ uploadedBy: "aardvark", fingerprint: sshFingerprint(validKey) })]);
    expect(keysToUpload(second, second.environments[0]!)).toEqual([]);
    const resources = await stackOf(second, second.environments[0]!);
    expect(resources.ofType("digitalocean:index/sshKey:SshKey")).toEqual([]);
    for (const droplet of resources.ofType("digitalocean:index/droplet:Droplet")) expect(droplet.inputs.sshKeys).toEqual([sshFingerprint(validKey)]);
  });

  it("are the tenant's own elsewhere: Azure holds no key per account", () => {
    const body = validKey.body;
    expect(buildPlatform(sampleSpec(), { keysUploadedElsewhere: { [body]: "other" } }).platform!.admin.keysUploadedElsewhere).toEqual({});
  });
});

/** disks-encrypted and aws-imdsv2-only in process: every disk a VM or instance may leave unencrypted, named; metadata v1 in each form. */
import { describe, expect, it } from "vitest";
import { awsMetadataV2Only, disksEncrypted } from "../../policies/rules/servers.js";
import { AWS, AZURE } from "../../policies/rules/types.js";
import { runResource, stackResource } from "../support/policy-direct.js";

const encryptedDisk = { managedDisk: { diskEncryptionSet: { id: "/subscriptions/1/diskEncryptionSets/des" } } };

describe("disks-encrypted", () => {
  it("Azure: names the OS disk and each data disk by index that no encryption set covers, unless encryption at host is on", () => {
    const storageProfile = { osDisk: { managedDisk: {} }, dataDisks: [encryptedDisk, { managedDisk: {} }, { lun: 2 }] };
    expect(runResource(disksEncrypted, stackResource(AZURE.virtualMachine, "api-1", { storageProfile }))).toEqual([
      'VM "api-1" has disks encrypted neither at host nor with a disk encryption set (the OS disk, data disk 1, data disk 2): set securityProfile.encryptionAtHost: true.',
    ]);
    expect(runResource(disksEncrypted, stackResource(AZURE.virtualMachine, "api-1", { storageProfile, securityProfile: { encryptionAtHost: true } }))).toEqual([]);
    expect(runResource(disksEncrypted, stackResource(AZURE.virtualMachine, "api-1", { storageProfile: { osDisk: encryptedDisk, dataDisks: [encryptedDisk] } }))).toEqual([]);
  });

  it("AWS: names the root volume and each EBS device by its name (or ? without one) that is not encrypted; a volume on its own", () => {
    const props = {
      rootBlockDevice: { encrypted: false },
      ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }, { deviceName: "/dev/sdg", encrypted: false }, { encrypted: "true" }],
    };
    expect(runResource(disksEncrypted, stackResource(AWS.instance, "api-1", props))).toEqual([
      'instance "api-1" has unencrypted disks (the root volume (rootBlockDevice.encrypted), EBS volume /dev/sdg, EBS volume ?): set encrypted: true on every block device.',
    ]);
    const encrypted = { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] };
    expect(runResource(disksEncrypted, stackResource(AWS.instance, "api-1", encrypted))).toEqual([]);
    expect(runResource(disksEncrypted, stackResource(AWS.volume, "data", { encrypted: false }))).toEqual(['EBS volume "data" is not encrypted: set encrypted: true.']);
    expect(runResource(disksEncrypted, stackResource(AWS.volume, "data", { encrypted: true }))).toEqual([]);
  });
});

describe("aws-imdsv2-only", () => {
  it.each([
    ["tokens optional", { httpTokens: "optional" }, true],
    ["no metadata options", undefined, true],
    ["tokens required", { httpTokens: "required" }, false],
    ["the metadata endpoint disabled", { httpEndpoint: "disabled", httpTokens: "optional" }, false],
    ["the endpoint enabled, tokens required", { httpEndpoint: "enabled", httpTokens: "required" }, false],
  ])("an instance and a launch template with %s", (_case, metadataOptions, refused) => {
    for (const [type, title] of [
      [AWS.instance, "instance"],
      [AWS.launchTemplate, "launch template"],
    ]) {
      const found = runResource(awsMetadataV2Only, stackResource(type!, "api", metadataOptions ? { metadataOptions } : {}));
      expect(found).toEqual(refused ? [`${title} "api" allows instance metadata v1: set metadataOptions.httpTokens: "required".`] : []);
    }
  });
});

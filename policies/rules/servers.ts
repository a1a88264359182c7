/**
 * Server hardening the clouds leave to the user: disk encryption where the cloud lets you choose
 * (Azure encryption at host or a disk encryption set, encrypted EBS on AWS; DigitalOcean always
 * encrypts and offers no choice), and instance metadata v2 only on AWS.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, asProps, asString, describe, isSet, type Props } from "./resources.js";
import { AWS, AZURE } from "./types.js";

/** The Azure managed disks of a VM that neither encryption at host nor a disk encryption set covers. */
function azureUnencryptedDisks(vm: Props): string[] {
  if (asProps(vm.securityProfile)?.encryptionAtHost === true) return [];
  const storage = asProps(vm.storageProfile);
  const hasEncryptionSet = (disk: Props | undefined) => isSet(asProps(asProps(disk?.managedDisk)?.diskEncryptionSet), "id");
  const osDisk = asProps(storage?.osDisk);
  return [
    ...(hasEncryptionSet(osDisk) ? [] : ["the OS disk"]),
    ...asList(storage?.dataDisks).flatMap((disk, index) => (hasEncryptionSet(asProps(disk)) ? [] : [`data disk ${index}`])),
  ];
}

function awsUnencryptedDisks(instance: Props): string[] {
  return [
    ...(asProps(instance.rootBlockDevice)?.encrypted === true ? [] : ["the root volume (rootBlockDevice.encrypted)"]),
    ...asList(instance.ebsBlockDevices).flatMap((device) => {
      const block = asProps(device);
      return block?.encrypted === true ? [] : [`EBS volume ${asString(block?.deviceName) ?? "?"}`];
    }),
  ];
}

export const disksEncrypted: ResourceValidationPolicy = {
  name: "disks-encrypted",
  description: "Server disks are encrypted wherever the cloud lets you choose.",
  severity: "high",
  validateResource: (args, reportViolation) => {
    switch (args.type) {
      case AZURE.virtualMachine: {
        const disks = azureUnencryptedDisks(args.props);
        if (disks.length > 0) {
          reportViolation(
            `${describe(args)} has disks encrypted neither at host nor with a disk encryption set (${disks.join(", ")}): set securityProfile.encryptionAtHost: true.`,
          );
        }
        return;
      }
      case AWS.instance: {
        const disks = awsUnencryptedDisks(args.props);
        if (disks.length > 0) reportViolation(`${describe(args)} has unencrypted disks (${disks.join(", ")}): set encrypted: true on every block device.`);
        return;
      }
      case AWS.volume:
        if (args.props.encrypted !== true) reportViolation(`${describe(args)} is not encrypted: set encrypted: true.`);
        return;
    }
  },
};

/** AWS launch templates and instances alike keep metadata options in `metadataOptions`. */
function metadataV1Allowed(props: Props): boolean {
  const options = asProps(props.metadataOptions);
  return asString(options?.httpEndpoint) !== "disabled" && asString(options?.httpTokens) !== "required";
}

export const awsMetadataV2Only: ResourceValidationPolicy = {
  name: "aws-imdsv2-only",
  description: "AWS instances accept only instance metadata v2 (session tokens), which SSRF cannot reach.",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if ((args.type === AWS.instance || args.type === AWS.launchTemplate) && metadataV1Allowed(args.props)) {
      reportViolation(`${describe(args)} allows instance metadata v1: set metadataOptions.httpTokens: "required".`);
    }
  },
};

/** The one kind of public address botinfra asks Azure for: Standard, static, IPv4. */
import type * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import type { Tags } from "../../model/platform.js";

export interface PublicIpArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  tags: Tags;
}

/** Named `<owner>-pip`; `opts` carries the parent and, in production, protect (an address is state). */
export function publicIp(owner: string, args: PublicIpArgs, opts: pulumi.CustomResourceOptions): network.PublicIPAddress {
  const name = `${owner}-pip`;
  return new network.PublicIPAddress(
    name,
    {
      ...args,
      publicIpAddressName: name,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
    },
    opts,
  );
}

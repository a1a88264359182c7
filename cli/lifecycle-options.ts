/**
 * The one shape of every command that runs Pulumi (up, preview, refresh, destroy, outputs): the same
 * options, the same handler. Each command module only says what it is and gives its examples.
 */
import type { Argv, CommandModule } from "yargs";
import type { Operation } from "../engine/lifecycle.js";
import type { GlobalArgs } from "./globals.js";
import type { LifecycleArgs } from "./lifecycle-run.js";
import { withTenantOptions } from "./tenant-options.js";

export interface LifecycleCommand {
  name: Operation | "outputs";
  describe: string;
  examples: [command: string, meaning: string][];
}

function withLifecycleOptions(yargs: Argv<LifecycleArgs>, name: LifecycleCommand["name"]) {
  const changes = name !== "outputs";
  const asks = name === "up" || name === "destroy";
  let built = withTenantOptions(yargs)
    .option("env", {
      alias: "e",
      type: "string",
      demandOption: name === "destroy" ? "destroy names the one environment to remove: add --env NAME" : false,
      describe: name === "destroy" ? "The environment to destroy" : "One environment, or all of them: non-production first, production last (default: all)",
    })
    .option("backend-url", {
      type: "string",
      describe: "Where stack state lives: file://PATH, s3://..., azblob://..., https://api.pulumi.com (default: $PULUMI_BACKEND_URL, else file://~/.botinfra/state)",
    })
    .option("secrets-provider", {
      type: "string",
      default: "passphrase",
      describe: "How new stacks encrypt secrets: passphrase ($PULUMI_CONFIG_PASSPHRASE or $PULUMI_CONFIG_PASSPHRASE_FILE) or a KMS URL (awskms://, azurekeyvault://, gcpkms://)",
    })
    .option("install-pulumi", { type: "boolean", default: false, describe: "Install the Pulumi CLI under ~/.pulumi/versions when none is on PATH" });
  if (changes) {
    built = built
      .option("parallel", { alias: "p", type: "number", describe: "Resource operations run at once (default: Pulumi's)" })
      .option("credentials-check", { type: "boolean", default: true, describe: "Check the cloud's credentials first; --no-credentials-check where they come from the machine (EC2 instance profile)" });
  }
  if (name === "up" || name === "preview") {
    built = built.option("policy", {
      type: "boolean",
      default: true,
      describe: "Have the engine enforce botinfra's policy pack (policies/) with the tenant's ranges; --no-policy skips it",
    });
  }
  if (name === "preview") {
    built = built
      .option("refresh", { type: "boolean", default: false, describe: "Read the cloud's real state first, so that changes made outside botinfra show too" })
      .option("expect-no-changes", {
        type: "boolean",
        default: false,
        describe: "Fail (exit 1) when a stack would change: drift detection, with --refresh",
      });
  }
  if (asks) built = built.option("yes", { alias: "y", type: "boolean", default: false, describe: "Go ahead without asking (CI); destroying production also needs the tenant's name" });
  if (name === "destroy") built = built.option("confirm", { type: "string", describe: "The tenant's name, where nobody can type it (destroying production in CI)" });
  return built;
}

export function lifecycleCommand(definition: LifecycleCommand): CommandModule<GlobalArgs, LifecycleArgs> {
  return {
    command: definition.name,
    describe: definition.describe,
    builder: (yargs) =>
      definition.examples.reduce((built, [command, meaning]) => built.example(command, meaning), withLifecycleOptions(yargs as Argv<LifecycleArgs>, definition.name)),
    handler: async (argv) => {
      if (definition.name === "outputs") {
        const { showOutputs } = await import("./deployed-outputs.js");
        process.exitCode = await showOutputs(argv);
      } else {
        const { runOperation } = await import("./lifecycle-run.js");
        process.exitCode = await runOperation(definition.name, argv);
      }
    },
  };
}

// Pulumi's AWS pack with its own defaults: every policy advisory, as AwsGuard() sets them.
// Make one mandatory with a config file: botinfra check --policy-pack policy-packs/awsguard --policy-config strict.json
import awsguard from "@pulumi/awsguard";

new awsguard.AwsGuard({ all: "advisory" });

// The floor of the fleet bench: a plain Pulumi program that registers as many resources as a generated
// tenant's stacks do, under the SDK's mock runtime, one stack after the other, in one process. Whatever
// botinfra spends above it is its own. Prints one JSON line: {stacks, resources, wallMs}.
import * as pulumi from "@pulumi/pulumi";

const [tenants, ...perStack] = process.argv.slice(2).map(Number);

const mocks = {
  newResource: ({ name, inputs }) => ({ id: `${name}-id`, state: inputs }),
  call: () => ({}),
};

class Group extends pulumi.ComponentResource {
  constructor(name, count) {
    super("floor:index:Group", name, {}, {});
    let previous;
    for (let index = 0; index < count; index += 1) {
      const inputs = { location: "westeurope", tags: { tenant: name, index: String(index) }, after: previous?.id };
      previous = new pulumi.CustomResource("floor:index:Thing", `${name}-${index}`, inputs, { parent: this });
    }
    this.registerOutputs({ last: previous?.id });
  }
}

const started = performance.now();
let resources = 0;
for (let tenant = 0; tenant < tenants; tenant += 1) {
  for (const [index, count] of perStack.entries()) {
    await pulumi.runtime.setMocks(mocks, "floor", `t${tenant}-s${index}`, false);
    await pulumi.runtime.runInPulumiStack(async () => new Group(`t${tenant}-s${index}`, count));
    await pulumi.runtime.disconnect();
    resources += count + 1;
  }
}
console.log(JSON.stringify({ stacks: tenants * perStack.length, resources, wallMs: Math.round(performance.now() - started) }));

// Entry point of the natcap-policies pack.
// In the natcap repository the TypeScript sources run as they are (the Pulumi CLI registers ts-node
// before loading a pack). A published pack carries no sources: `npm pack` (which `pulumi policy
// publish` runs) first builds dist/ with the pack and the sim/ modules it uses, compiled together.
const fs = require("node:fs");
const path = require("node:path");

if (fs.existsSync(path.join(__dirname, "index.ts"))) {
  require("./index.ts");
} else {
  require("./dist/policies/index.js");
}

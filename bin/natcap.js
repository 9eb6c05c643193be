#!/usr/bin/env node

// The natcap command; `npm run build` compiles cli.ts to dist/cli.js.
require("../dist/cli.js")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });

// Google's structured-data checks (the structured-data-testing-tool Google preset) plus the fact-check fields
// aggregators need, over many HTML files in one Node process. Prints {"file": ["failed test", ...]} as JSON;
// a file whose ClaimReview passes maps to []. Used by tests/test_quality.py.
"use strict";
const fs = require("fs");
const { structuredDataTest } = require("structured-data-testing-tool");
const { Google } = require("structured-data-testing-tool/presets");

const FactCheck = {
  name: "factpress ClaimReview",
  description: "What Fact Check Explorer reads: the verdict's label, who made the claim, who reviewed it, when.",
  schema: "ClaimReview",
  conditional: { test: "ClaimReview" },
  tests: [
    { test: "ClaimReview", expect: true, type: "jsonld" },
    { test: "ClaimReview[*].reviewRating.alternateName" },
    { test: "ClaimReview[*].author" },
    { test: "ClaimReview[*].datePublished" },
    { test: "ClaimReview[*].itemReviewed" },
    { test: 'ClaimReview[*].itemReviewed."@type"', expect: "Claim" },
    { test: "ClaimReview[*].itemReviewed.author.name" },
  ],
};

async function check(file) {
  try {
    await structuredDataTest(fs.readFileSync(file), { presets: [Google, FactCheck], schemas: ["ClaimReview"] });
    return [];
  } catch (err) {
    if (err.type !== "VALIDATION_FAILED") throw err;
    return err.res.failed.map((t) => `${t.group || ""} ${t.test}: ${t.error ? t.error.message : t.description || "failed"}`);
  }
}

(async () => {
  const report = {};
  for (const file of process.argv.slice(2)) report[file] = await check(file);
  process.stdout.write(JSON.stringify(report));
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(2);
});

/**
 * The layering, checked by `npm run lint` (dependency-cruiser):
 *   app/ and worker/ → lib/ → db/; nothing imports upwards, and no cycles;
 *   app/ runs no SQL (no drizzle, postgres.js or tables: lib/ does);
 *   lib/jobs imports none of lib/'s edges (http, realtime, admin, webhooks, mail, auth);
 *   client/ (the SDK) imports none of them.
 * Tests, benchmarks and scripts may import anything; nothing imports them.
 */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", from: {}, to: { circular: true } },
    {
      name: "db-imports-nothing-above",
      comment:
        "db/ is the schema, migrations, client and embedded Postgres: it knows nothing of lib/, app/ or worker/.",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^(lib|app|worker|scripts|e2e|test|bench)/" },
    },
    {
      name: "lib-is-the-domain",
      comment: "lib/ never imports the web (app/) or the worker's handlers (worker/).",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|worker|scripts|e2e|test|bench)/" },
    },
    {
      name: "the-web-never-loads-a-handler",
      comment: "Routes and pages read job types' declarations (lib/jobs/types), never their handlers.",
      severity: "error",
      from: { path: "^(app|proxy\\.ts|instrumentation\\.ts)" },
      to: { path: "^(worker|scripts|e2e|test|bench)/" },
    },
    {
      name: "the-job-domain-stands-on-its-own",
      comment:
        "lib/jobs (declarations, lifecycle, queries) is what everything else builds on: it imports none of the edge (lib/http), the realtime transports, the admin console, webhooks, mail or auth.",
      severity: "error",
      from: { path: "^lib/jobs/" },
      to: { path: "^lib/(http|realtime|admin|webhooks|mail|auth)/" },
    },
    {
      name: "routes-and-pages-run-no-sql",
      comment:
        "app/ reaches the database through lib/ only: no drizzle, no postgres.js, no tables (db/'s plain lists, such as the job states, are fine).",
      severity: "error",
      from: { path: "^app/" },
      to: {
        path: [
          "^node_modules/(drizzle-orm|postgres)/",
          "^db/(schema|auth-schema|client|migrate|prepare|embedded|functions)",
        ],
      },
    },
    {
      name: "the-sdk-stands-alone",
      comment: "client/ is a package of its own, installed from a tarball: it cannot reach into the app.",
      severity: "error",
      from: { path: "^client/" },
      to: { path: "^(app|lib|db|worker|scripts|e2e|test|bench)/" },
    },
    {
      name: "the-worker-is-not-the-web",
      severity: "error",
      from: { path: "^worker/" },
      to: { path: "^(app|scripts|e2e|test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // node_modules is not followed, but stays in the graph as leaves, so rules can name packages.
    exclude: { path: "^(\\.next|\\.next-bench|\\.data)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};

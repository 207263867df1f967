/**
 * The layering, checked by `npm run lint` (dependency-cruiser):
 *   app/ and worker/ → lib/ → db/; nothing imports upwards, and no cycles;
 *   app/ runs no SQL (no drizzle, postgres.js or tables: lib/ does);
 *   only the web's edge (lib/http, app/, server.ts, next.config.ts) imports lib/http;
 *   lib/jobs imports none of lib/'s other folders (http, change-feed, admin, webhooks, mail, auth, uploads' edge);
 *   the change feed and auth import no transport, console, webhooks or mail;
 *   client/ (the SDK) imports none of them; test-only job types are loaded dynamically, when asked for.
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
        "lib/jobs (declarations, lifecycle, queries) is what everything else builds on: it imports none of the edge (lib/http), the change feed, the admin console, webhooks, mail or auth.",
      severity: "error",
      from: { path: "^lib/jobs/" },
      to: { path: "^lib/(http|change-feed|admin|webhooks|mail|auth)/" },
    },
    {
      name: "only-the-edge-speaks-http",
      comment:
        "lib/http is the HTTP edge (routes' wrapper, problems, the realtime transports): the domain, the worker and db/ never import it; app/, server.ts and next.config.ts do.",
      severity: "error",
      from: { pathNot: "^(lib/http/|app/|server\\.ts$|next\\.config\\.ts$|scripts/|test/|e2e/|bench/)" },
      to: { path: "^lib/http/" },
    },
    {
      name: "the-change-feed-knows-no-transport",
      comment:
        "lib/change-feed (subscribe, wait for a change, replay) is what the transports in lib/http/realtime and the worker build on; it knows none of them.",
      severity: "error",
      from: { path: "^lib/change-feed/" },
      to: { path: "^lib/(http|admin|webhooks|mail|auth)/" },
    },
    {
      name: "auth-knows-who-not-how",
      comment:
        "lib/auth says who a caller is from their credentials; turning that into a 401 or a closed socket is the edge's (lib/http).",
      severity: "error",
      from: { path: "^lib/auth/" },
      to: { path: "^lib/(http|change-feed|admin|webhooks|mail)/" },
    },
    {
      name: "shared-ground-stays-low",
      comment:
        "lib/'s own files (config, db, logger, errors, limits…) are what every folder stands on: they import none of the folders but auth's types and the job domain.",
      severity: "error",
      from: { path: "^lib/[^/]+\\.ts$" },
      to: { path: "^lib/(http|change-feed|admin|webhooks|mail|uploads|metrics|queue)/" },
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
      name: "test-code-loads-only-when-asked",
      comment:
        "The job types that exist for tests (lib/jobs/types/testing, worker/handlers/testing) are imported dynamically, when ACCEPTED_TEST_JOB_TYPES=1 asks for them: never loaded by a production start.",
      severity: "error",
      from: { pathNot: ["^(test|e2e|bench|scripts)/", "/testing/"] },
      to: { path: "/testing/", dependencyTypesNot: ["dynamic-import"] },
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

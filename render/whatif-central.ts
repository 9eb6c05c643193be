/**
 * Renderers of a centralised egress what-if (sim/sizing/central.ts) for a terminal and an HTML
 * page, reusing the single-gateway what-if's table and section.
 *
 * @module
 */
import type { CentralWhatIfPlan, CentralZoneWhatIf } from "../sim/sizing/central";
import { escapeHtml } from "./html";
import { whatIfSection } from "./whatif-html";
import { renderWhatIfTable, usd } from "./whatif-report";

/** The cost lines of a central plan. */
function costLines(plan: CentralWhatIfPlan): string[] {
  const c = plan.cost;
  const lines = [
    `Centralised egress, ${plan.zones.length} zones, ${plan.spokes} spokes, ${plan.gbPerMonth} GB a month: ${usd(c.total)} a month as given`,
    `  NAT gateways ${usd(c.natGateways)}, their IPs ${usd(c.addresses)}, Transit Gateway attachments (${plan.spokes + 1}) ${usd(c.attachments)}, ` +
      `NAT processing ${usd(c.natProcessing)}, Transit Gateway processing ${usd(c.transitGatewayProcessing)}`,
  ];
  if (plan.costAtCheapest)
    lines.push(
      `  with each zone at its cheapest fitting IP count: ${usd(plan.costAtCheapest.total)} a month`,
    );
  else lines.push("  some zone fits with no IP count of one NAT gateway: move spokes to another egress VPC");
  return lines;
}

/** The endpoints of a zone with the spokes that feed each. */
function feedLines(zone: CentralZoneWhatIf): string[] {
  return zone.endpoints.map((e) => `  ${e.endpoint} (${e.name}) from ${e.spokes.join(", ")}`);
}

/** The central what-if for a terminal: per zone, its endpoints and spokes, then its what-if table; then the design's cost. */
export function renderCentralWhatIfTable(plan: CentralWhatIfPlan): string {
  const out: string[] = [];
  for (const z of plan.zones) {
    out.push(`Zone ${z.availabilityZone} (${z.ips} IP${z.ips === 1 ? "" : "s"} as given):`, ...feedLines(z));
    out.push(z.plan ? renderWhatIfTable(z.plan).trimEnd() : "  no spoke traffic through this zone", "");
  }
  out.push(...costLines(plan));
  return `${out.join("\n")}\n`;
}

/** The central what-if as a self-contained HTML page: per zone, the single-gateway what-if section. */
export function renderCentralHtml(plan: CentralWhatIfPlan, title = "natcap centralised egress"): string {
  const zones = plan.zones
    .map((z) => {
      const feeds = feedLines(z)
        .map((l) => `<li>${escapeHtml(l.trim())}</li>`)
        .join("");
      const body = z.plan
        ? whatIfSection(z.plan, escapeHtml).replace(
            'id="whatif-chart"',
            `id="whatif-chart-${escapeHtml(z.availabilityZone)}"`,
          )
        : "<p>No spoke traffic through this zone.</p>";
      return `<section class="zone"><h2>${escapeHtml(`Zone ${z.availabilityZone}: ${z.ips} IPs as given`)}</h2><ul>${feeds}</ul>${body}</section>`;
    })
    .join("\n");
  const cost = costLines(plan)
    .map((l) => `<li>${escapeHtml(l.trim())}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body { font: 14px/1.45 system-ui, sans-serif; margin: 16px; } table.summary { border-collapse: collapse; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: 3px 6px; } tr.bad td { background: #fff4f2; }
tr.cheapest td, li.cheapest { background: #e6f4ea; font-weight: 600; }</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${zones}
<section class="cost"><h2>Monthly cost</h2><ul>${cost}</ul></section>
</body>
</html>
`;
}

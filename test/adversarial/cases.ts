/**
 * Hostile and odd workloads for `natcap simulate`, as a table: each case is the file's content, the
 * exit code it must give and what stderr must say (the field and the value).
 */

/** One adversarial case. */
export interface Case {
  /** What the case tries. */
  name: string;
  /** File content: an object (written as JSON), YAML text, or raw bytes. */
  input: unknown;
  /** Exit code natcap must give. */
  code: 0 | 1 | 2;
  /** What stderr must match (for exit 2: the field and the value). */
  stderr?: RegExp;
  /** Extra CLI arguments. */
  args?: string[];
}

type Json = Record<string, unknown>;

/** A valid, small workload that fits (about 600 attempts). */
export const base = (): Json => ({
  cloud: "aws",
  gateway: { ips: 2 },
  durationSeconds: 60,
  destinations: [{ name: "api", address: "198.51.100.7", port: 443 }],
  traffic: [{ to: "api", connectionsPerSecond: 10, holdSeconds: 1 }],
});

const dest = (patch: Json): Json => {
  const w = base();
  (w.destinations as Json[])[0] = { ...(w.destinations as Json[])[0], ...patch };
  return w;
};
const stream = (patch: Json): Json => {
  const w = base();
  (w.traffic as Json[])[0] = { ...(w.traffic as Json[])[0], ...patch };
  return w;
};
const gw = (patch: Json, cloud = "aws"): Json => ({ ...base(), cloud, gateway: { ips: 2, ...patch } });
const top = (patch: Json): Json => ({ ...base(), ...patch });
const udp = (patch: Json): Json => {
  const w = dest({ protocol: "udp", port: 53 });
  (w.traffic as Json[])[0] = { ...(w.traffic as Json[])[0], ...patch };
  return w;
};
const yamlBase =
  "cloud: aws\ngateway: { ips: 2 }\ndurationSeconds: 60\ndestinations:\n  - { name: api, address: 198.51.100.7, port: 443 }\ntraffic:\n  - { to: api, connectionsPerSecond: 10, holdSeconds: 1 }\n";
const yamlWith = (line: string) => yamlBase.replace("gateway: { ips: 2 }", line);

const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
].join("\n");

const garbage = (() => {
  const bytes = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
})();

/** Inputs natcap must refuse with exit 2, or run with 0 or 1. */
export const CASES: Case[] = [
  // Files that are not workloads at all.
  { name: "an empty file", input: "", code: 2, stderr: /\(workload\): the file is empty/ },
  { name: "whitespace only", input: "  \n\t\n", code: 2, stderr: /the file is empty/ },
  {
    name: "a comment only",
    input: "# nothing here\n",
    code: 2,
    stderr: /expected a mapping with cloud, gateway, destinations, got null/,
  },
  { name: "a YAML syntax error", input: "cloud: aws\ngateway: [\n", code: 2, stderr: /line \d+, column \d+/ },
  {
    name: "an unclosed quote",
    input: 'cloud: "aws\ngateway: { ips: 1 }\n',
    code: 2,
    stderr: /line \d+, column \d+/,
  },
  {
    name: "duplicate keys",
    input: "cloud: aws\ncloud: azure\ngateway: { ips: 1 }\n",
    code: 2,
    stderr: /line 2, column 1: Map keys must be unique/,
  },
  {
    name: "a top-level list",
    input: "- cloud: aws\n- cloud: azure\n",
    code: 2,
    stderr: /\(workload\): expected a mapping .* got \[/,
  },
  { name: "a top-level number", input: "42\n", code: 2, stderr: /expected a mapping .* got 42/ },
  {
    name: "a top-level string",
    input: '"cloud: aws"\n',
    code: 2,
    stderr: /expected a mapping .* got "cloud: aws"/,
  },
  { name: "binary garbage", input: garbage, code: 2, stderr: /natcap: .+/ },
  {
    name: "NUL bytes inside YAML",
    input: "cloud: aws\u0000\ngateway: { ips: 1 }\n",
    code: 2,
    stderr: /natcap: .+/,
  },
  { name: "a YAML alias bomb", input: aliasBomb, code: 2, stderr: /alias/i },
  {
    name: "deeply nested flow sequences",
    input: `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
    code: 2,
    stderr: /\(syntax\)|\(workload\)|line \d+/,
  },
  {
    name: "deeply nested block mappings",
    input: Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n"),
    code: 2,
    stderr: /natcap: .+/,
  },
  {
    name: "a file over 10 MB",
    input: `# ${"x".repeat(11 * 1024 * 1024)}\n`,
    code: 2,
    stderr: /\(file\): .*is 11,534,3\d\d bytes, more than natcap's bound of 10,485,760 bytes/,
  },
  {
    name: "two YAML documents",
    input: "cloud: aws\n---\ncloud: azure\n",
    code: 2,
    stderr:
      /line 2, column 1: Source contains multiple documents: a workload file holds one YAML document; remove the --- separator/,
  },
  {
    name: "a YAML merge key",
    input:
      "cloud: aws\ngateway: { ips: 1 }\n<<: { seed: 3 }\ndestinations: [{ name: a, address: 198.51.100.1, port: 1 }]\n",
    code: 2,
    stderr: /<<: unknown field "<<"/,
  },
  {
    name: "a __proto__ key",
    input:
      '{"__proto__": {"cloud": "aws"}, "cloud":"aws","gateway":{"ips":1},"destinations":[{"name":"a","address":"198.51.100.1","port":1}]}',
    code: 2,
    stderr: /__proto__: unknown field "__proto__"/,
  },
  {
    name: "a binary tag where a word belongs",
    input:
      "cloud: !!binary aGVsbG8=\ngateway: { ips: 1 }\ndestinations: [{ name: a, address: 198.51.100.1, port: 1 }]\n",
    code: 2,
    stderr: /cloud: .* is not one of aws, azure/,
  },
  {
    name: "a date where seconds belong",
    input: yamlBase.replace("durationSeconds: 60", "durationSeconds: 2001-12-14"),
    code: 2,
    stderr: /durationSeconds: expected a number of seconds above 0, got "2001-12-14"/,
  },
  {
    name: "a 100,000-character name",
    input: dest({ name: "n".repeat(100_000) }),
    code: 2,
    stderr: /destinations\[0\]\.name: "n{50,}\.\.\. is longer than 200 characters/,
  },
  {
    name: "a destination named __proto__",
    input: {
      ...dest({ name: "__proto__" }),
      traffic: [{ to: "__proto__", connectionsPerSecond: 1, holdSeconds: 1 }],
    },
    code: 0,
  },
  {
    name: "traffic to constructor",
    input: stream({ to: "constructor" }),
    code: 2,
    stderr: /traffic\[0\]\.to: unknown destination "constructor" \(known: api\)/,
  },
  // Top-level fields.
  {
    name: "cloud missing",
    input: (() => {
      const w = base();
      delete w.cloud;
      return w;
    })(),
    code: 2,
    stderr: /cloud: is required/,
  },
  {
    name: "an unknown cloud",
    input: top({ cloud: "gcp" }),
    code: 2,
    stderr: /cloud: "gcp" is not one of aws, azure/,
  },
  {
    name: "an unknown top-level field",
    input: top({ duration: 60 }),
    code: 2,
    stderr: /duration: unknown field "duration"/,
  },
  {
    name: "durationSeconds 0",
    input: top({ durationSeconds: 0 }),
    code: 2,
    stderr: /durationSeconds: 0 must be above 0/,
  },
  {
    name: "durationSeconds negative",
    input: top({ durationSeconds: -5 }),
    code: 2,
    stderr: /durationSeconds: -5 must be above 0/,
  },
  {
    name: "durationSeconds past one year",
    input: top({ durationSeconds: 1e9 }),
    code: 2,
    stderr: /durationSeconds: 1000000000 exceeds 31,536,000 \(natcap's bound of one year/,
  },
  {
    name: "durationSeconds past MAX_SAFE_INTEGER",
    input:
      '{"cloud":"aws","gateway":{"ips":1},"durationSeconds":9007199254740993,"destinations":[{"name":"a","address":"198.51.100.7","port":443}]}',
    code: 2,
    stderr: /durationSeconds: 9007199254740992 exceeds 31,536,000 \(natcap's bound of one year/,
  },
  {
    name: "durationSeconds as a string",
    input: top({ durationSeconds: "3600" }),
    code: 2,
    stderr: /durationSeconds: expected a number of seconds above 0, got "3600"/,
  },
  {
    name: "durationSeconds .inf",
    input: yamlBase.replace("durationSeconds: 60", "durationSeconds: .inf"),
    code: 2,
    stderr: /durationSeconds: expected a number of seconds above 0, got Infinity/,
  },
  {
    name: "durationSeconds .nan",
    input: yamlBase.replace("durationSeconds: 60", "durationSeconds: .nan"),
    code: 2,
    stderr: /durationSeconds: expected a number of seconds above 0, got NaN/,
  },
  {
    name: "durationSeconds 1e400",
    input: yamlBase.replace("durationSeconds: 60", "durationSeconds: 1e400"),
    code: 2,
    stderr: /durationSeconds: expected .* got Infinity/,
  },
  { name: "a negative seed", input: top({ seed: -1 }), code: 2, stderr: /seed: -1 is not a whole number/ },
  {
    name: "a seed past 32 bits",
    input: top({ seed: 2 ** 32 }),
    code: 2,
    stderr: /seed: 4294967296 exceeds 4,294,967,295 \(the largest 32-bit seed\)/,
  },
  // Gateway.
  {
    name: "gateway missing",
    input: (() => {
      const w = base();
      delete w.gateway;
      return w;
    })(),
    code: 2,
    stderr: /gateway: is required/,
  },
  {
    name: "ips as a word",
    input: gw({ ips: "two" }),
    code: 2,
    stderr: /gateway\.ips: expected a whole number of IPs, 1 or more, got "two"/,
  },
  {
    name: "ips 0",
    input: gw({ ips: 0 }),
    code: 2,
    stderr: /gateway\.ips: 0 is not a whole number of IPs, 1 or more/,
  },
  { name: "ips 1.5", input: gw({ ips: 1.5 }), code: 2, stderr: /gateway\.ips: 1\.5 is not a whole number/ },
  {
    name: "ips 9 on AWS",
    input: gw({ ips: 9 }),
    code: 2,
    stderr: /gateway\.ips: 9 exceeds the 8 IPs an AWS NAT gateway can hold; set gateway\.ips to 8 or fewer/,
  },
  {
    name: "ips 17 on Azure",
    input: gw({ ips: 17 }, "azure"),
    code: 2,
    stderr: /gateway\.ips: 17 exceeds the 16 public IPs/,
  },
  {
    name: "ips 1e300",
    input: gw({ ips: 1e300 }),
    code: 2,
    stderr: /gateway\.ips: 1e\+300 is past Number\.MAX_SAFE_INTEGER/,
  },
  {
    name: "ips .inf",
    input: yamlWith("gateway: { ips: .inf }"),
    code: 2,
    stderr: /gateway\.ips: expected a whole number of IPs, 1 or more, got Infinity/,
  },
  {
    name: "ips .nan",
    input: yamlWith("gateway: { ips: .nan }"),
    code: 2,
    stderr: /gateway\.ips: expected a whole number of IPs, 1 or more, got NaN/,
  },
  {
    name: 'ips "NaN" as a string',
    input: gw({ ips: "NaN" }),
    code: 2,
    stderr: /gateway\.ips: expected .* got "NaN"/,
  },
  {
    name: 'ips "Infinity" as a string',
    input: gw({ ips: "Infinity" }),
    code: 2,
    stderr: /gateway\.ips: expected .* got "Infinity"/,
  },
  { name: "ips null", input: gw({ ips: null }), code: 2, stderr: /gateway\.ips: expected .* got null/ },
  {
    name: "an unknown ipSelection",
    input: gw({ ipSelection: "random" }),
    code: 2,
    stderr: /gateway\.ipSelection: "random" is not one of hash, pooled/,
  },
  {
    name: "idleTimeoutMinutes on AWS",
    input: gw({ idleTimeoutMinutes: 10 }),
    code: 2,
    stderr:
      /gateway\.idleTimeoutMinutes: AWS NAT gateways have a fixed 350 s idle timeout; remove this field/,
  },
  {
    name: "Azure idleTimeoutMinutes 3",
    input: gw({ idleTimeoutMinutes: 3 }, "azure"),
    code: 2,
    stderr: /gateway\.idleTimeoutMinutes: 3 is not a whole number of minutes from 4 to 120/,
  },
  {
    name: "Azure idleTimeoutMinutes 121",
    input: gw({ idleTimeoutMinutes: 121 }, "azure"),
    code: 2,
    stderr: /gateway\.idleTimeoutMinutes: 121 exceeds 120 \(Azure's longest TCP idle timeout/,
  },
  {
    name: "perIpDestinationLimit past AWS's 64,512 ports",
    input: gw({ perIpDestinationLimit: 70_000 }),
    code: 2,
    stderr:
      /gateway\.perIpDestinationLimit: 70,000 exceeds the 64,512 ports one AWS NAT gateway IP has \(ports 1024-65535\).*set it to 64,512 or less/,
  },
  {
    name: "perIpDestinationLimit past Azure's 64,512 SNAT ports",
    input: gw({ perIpDestinationLimit: 64_513 }, "azure"),
    code: 2,
    stderr: /gateway\.perIpDestinationLimit: 64,513 exceeds the 64,512 ports one Azure NAT gateway IP has/,
  },
  {
    name: "perIpDestinationLimit 0",
    input: gw({ perIpDestinationLimit: 0 }),
    code: 2,
    stderr: /gateway\.perIpDestinationLimit: 0 is not a whole number of connections, 1 or more/,
  },
  {
    name: "a negative FIN hold-down",
    input: gw({ portReuseSeconds: { fin: -1 } }),
    code: 2,
    stderr: /gateway\.portReuseSeconds\.fin: -1 must be 0 or more/,
  },
  {
    name: "a UDP hold-down past one year",
    input: gw({ portReuseSeconds: { udp: 1e12 } }),
    code: 2,
    stderr: /gateway\.portReuseSeconds\.udp: 1000000000000 exceeds 31,536,000/,
  },
  {
    name: "an unknown hold-down",
    input: gw({ portReuseSeconds: { tcp: 5 } }),
    code: 2,
    stderr: /gateway\.portReuseSeconds\.tcp: unknown field "tcp"/,
  },
  {
    name: "an unknown gateway field",
    input: gw({ ip: 2 }),
    code: 2,
    stderr: /gateway\.ip: unknown field "ip"/,
  },
  // Destinations.
  {
    name: "no destinations",
    input: top({ destinations: [] }),
    code: 2,
    stderr: /destinations: needs at least one destination/,
  },
  {
    name: "destinations as a mapping",
    input: top({ destinations: { api: {} } }),
    code: 2,
    stderr: /destinations: expected a list, got \{"api":\{\}\}/,
  },
  {
    name: "an empty destination name",
    input: dest({ name: " " }),
    code: 2,
    stderr: /destinations\[0\]\.name: must not be empty/,
  },
  {
    name: "duplicate destination names",
    input: top({
      destinations: [
        { name: "a", address: "198.51.100.1", port: 1 },
        { name: "a", address: "198.51.100.2", port: 1 },
      ],
      traffic: [],
    }),
    code: 2,
    stderr: /destinations\[1\]\.name: duplicate destination name "a" \(also destinations\[0\]\)/,
  },
  {
    name: "two names for one endpoint",
    input: top({
      destinations: [
        { name: "a", address: "198.51.100.1", port: 636 },
        { name: "b", address: "198.51.100.1", port: 636 },
      ],
      traffic: [],
    }),
    code: 2,
    stderr:
      /destinations\[1\]\.address: "b" is 198\.51\.100\.1:636\/tcp, the endpoint of destinations\[0\] "a" too: both share one port inventory/,
  },
  {
    name: "an IPv6 address on AWS",
    input: dest({ address: "2001:db8::1" }),
    code: 2,
    stderr:
      /destinations\[0\]\.address: "2001:db8::1" is an IPv6 address: an AWS NAT gateway translates IPv4 only; IPv6 egress goes through an egress-only internet gateway \(AWS\)/,
  },
  {
    name: "a bracketed IPv6 address",
    input: dest({ address: "[2001:db8::1]" }),
    code: 2,
    stderr:
      /destinations\[0\]\.address: "\[2001:db8::1\]" is an IPv6 address in brackets: give the address alone \(2001:db8::1\)/,
  },
  {
    name: "a NAT64 address on AWS",
    input: dest({ address: "64:ff9b::cb00:710a" }),
    code: 2,
    stderr: /For NAT64 \(64:ff9b::\/96\) give the IPv4 address/,
  },
  {
    name: "an IPv6 address on an Azure Standard gateway",
    input: { ...dest({ address: "2001:db8::1" }), cloud: "azure" },
    code: 2,
    stderr:
      /destinations\[0\]\.address: "2001:db8::1" is an IPv6 address: a Standard Azure NAT gateway translates IPv4 only; .*set gateway\.sku: StandardV2 and gateway\.ipsV6 \(1 to 16\)/,
  },
  {
    name: "an IPv6 address on StandardV2 without IPv6 addresses",
    input: { ...dest({ address: "2001:db8::1" }), cloud: "azure", gateway: { ips: 2, sku: "StandardV2" } },
    code: 2,
    stderr:
      /destinations\[0\]\.address: "2001:db8::1" is an IPv6 address, and the StandardV2 gateway has no IPv6 addresses to translate it to: set gateway\.ipsV6 to 1 or more \(up to 16\)/,
  },
  {
    name: "ipsV6 on an Azure Standard gateway",
    input: gw({ ipsV6: 2 }, "azure"),
    code: 2,
    stderr:
      /gateway\.ipsV6: 2 IPv6 addresses, but a Standard Azure NAT gateway takes none \(IPv6 needs StandardV2\): set gateway\.sku: StandardV2, or remove gateway\.ipsV6/,
  },
  {
    name: "ipsV6 on AWS",
    input: gw({ ipsV6: 1 }),
    code: 2,
    stderr:
      /gateway\.ipsV6: 1 IPv6 address, but an AWS NAT gateway translates IPv4 only.*remove gateway\.ipsV6/,
  },
  {
    name: "an Azure SKU on AWS",
    input: gw({ sku: "StandardV2" }),
    code: 2,
    stderr:
      /gateway\.sku: "StandardV2" is an Azure NAT gateway SKU; AWS NAT gateways have none: remove gateway\.sku/,
  },
  {
    name: "17 IPv6 addresses",
    input: gw({ sku: "StandardV2", ipsV6: 17 }, "azure"),
    code: 2,
    stderr:
      /gateway\.ipsV6: 17 exceeds the 16 public IPv6 addresses a StandardV2 NAT gateway can use; set gateway\.ipsV6 to 16 or fewer/,
  },
  {
    name: "a fractional IPv6 count",
    input: gw({ sku: "StandardV2", ipsV6: 1.5 }, "azure"),
    code: 2,
    stderr: /gateway\.ipsV6: 1\.5 is not a whole number of IPv6 addresses/,
  },
  {
    name: "an unknown SKU",
    input: gw({ sku: "Basic" }, "azure"),
    code: 2,
    stderr: /gateway\.sku: "Basic" is not one of Standard, StandardV2/,
  },
  {
    name: "one IPv6 endpoint written two ways",
    input: {
      ...base(),
      cloud: "azure",
      gateway: { ips: 1, sku: "StandardV2", ipsV6: 1 },
      destinations: [
        { name: "a", address: "2001:db8::1", port: 443 },
        { name: "b", address: "2001:0DB8:0000::0001", port: 443 },
      ],
      traffic: [],
    },
    code: 2,
    stderr:
      /destinations\[1\]\.address: "b" is \[2001:0DB8:0000::0001\]:443\/tcp, the endpoint of destinations\[0\] "a" too/,
  },
  {
    name: "an IPv6 destination on StandardV2 with IPv6 addresses",
    input: {
      ...base(),
      cloud: "azure",
      gateway: { ips: 1, sku: "StandardV2", ipsV6: 1 },
      destinations: [{ name: "api", address: "2001:db8::7", port: 443 }],
    },
    code: 0,
  },
  {
    name: "an IPv4 address out of range",
    input: dest({ address: "10.0.0.256" }),
    code: 2,
    stderr: /destinations\[0\]\.address: "10\.0\.0\.256" is not a valid IPv4 address/,
  },
  {
    name: "a CIDR block",
    input: dest({ address: "10.0.0.0/24" }),
    code: 2,
    stderr: /"10\.0\.0\.0\/24" is a network or a URL, not one address/,
  },
  {
    name: "a URL",
    input: dest({ address: "https://example.com" }),
    code: 2,
    stderr: /"https:\/\/example\.com" is a network or a URL/,
  },
  {
    name: "an address with a port",
    input: dest({ address: "example.com:443" }),
    code: 2,
    stderr:
      /"example\.com:443" is not an address: give the IPv4 or IPv6 address or DNS name alone and the port in port/,
  },
  {
    name: "a wildcard name",
    input: dest({ address: "*.example.com" }),
    code: 2,
    stderr: /"\*\.example\.com" is neither an IP address nor a DNS name/,
  },
  {
    name: "an empty address",
    input: dest({ address: "" }),
    code: 2,
    stderr: /destinations\[0\]\.address: must not be empty/,
  },
  {
    name: "a numeric address",
    input: dest({ address: 3_232_235_777 }),
    code: 2,
    stderr: /destinations\[0\]\.address: expected a string, got 3232235777/,
  },
  {
    name: "port 0",
    input: dest({ port: 0 }),
    code: 2,
    stderr: /destinations\[0\]\.port: 0 is not a port from 1 to 65535/,
  },
  {
    name: "port 65536",
    input: dest({ port: 65_536 }),
    code: 2,
    stderr: /destinations\[0\]\.port: 65536 exceeds 65,535 \(the highest port number\)/,
  },
  {
    name: "a port name",
    input: dest({ port: "https" }),
    code: 2,
    stderr: /destinations\[0\]\.port: expected a port from 1 to 65535, got "https"/,
  },
  {
    name: "protocol icmp",
    input: dest({ protocol: "icmp" }),
    code: 2,
    stderr: /destinations\[0\]\.protocol: "icmp" is not one of tcp, udp/,
  },
  {
    name: "a negative peak",
    input: dest({ peakConnections: -1 }),
    code: 2,
    stderr: /destinations\[0\]\.peakConnections: -1 is not a whole number of connections/,
  },
  {
    name: "a fractional peak",
    input: dest({ peakConnections: 1.5 }),
    code: 2,
    stderr: /destinations\[0\]\.peakConnections: 1\.5 is not a whole number/,
  },
  {
    name: "a peak past natcap's bound",
    input: dest({ peakConnections: 1e12 }),
    code: 2,
    stderr:
      /destinations\[0\]\.peakConnections: 1000000000000 exceeds 10,000,000 \(natcap's bound on one destination's peak connections\)/,
  },
  {
    name: "peakDurationSeconds without peakHoldSeconds",
    input: dest({ peakConnections: 10, peakDurationSeconds: 60 }),
    code: 2,
    stderr: /destinations\[0\]\.peakHoldSeconds: is required with peakDurationSeconds/,
  },
  {
    name: "peakHoldSeconds 0",
    input: dest({ peakConnections: 10, peakDurationSeconds: 60, peakHoldSeconds: 0 }),
    code: 2,
    stderr: /destinations\[0\]\.peakHoldSeconds: 0 must be above 0/,
  },
  {
    name: "an unknown service",
    input: dest({ service: "sqs" }),
    code: 2,
    stderr: /destinations\[0\]\.service: "sqs" is not one of s3, dynamodb/,
  },
  // Traffic.
  {
    name: "traffic to an unknown destination",
    input: stream({ to: "apii" }),
    code: 2,
    stderr: /traffic\[0\]\.to: unknown destination "apii" \(known: api\)/,
  },
  {
    name: "a rate of 0",
    input: stream({ connectionsPerSecond: 0 }),
    code: 2,
    stderr: /traffic\[0\]\.connectionsPerSecond: 0 must be above 0/,
  },
  {
    name: "a negative rate",
    input: stream({ connectionsPerSecond: -3 }),
    code: 2,
    stderr: /traffic\[0\]\.connectionsPerSecond: -3 must be above 0/,
  },
  {
    name: "a rate past natcap's bound",
    input: stream({ connectionsPerSecond: 1e15 }),
    code: 2,
    stderr: /traffic\[0\]\.connectionsPerSecond: 1000000000000000 exceeds 1,000,000,000/,
  },
  {
    name: "a load no gateway holds",
    input: stream({ connectionsPerSecond: 1e7, holdSeconds: 3600 }),
    code: 2,
    stderr:
      /traffic\[0\]\.connectionsPerSecond: traffic to destinations\[0\] "api" would hold about 600,000,000 ports/,
  },
  {
    name: "holdSeconds missing",
    input: stream({ holdSeconds: undefined }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds: is required/,
  },
  {
    name: "a negative hold",
    input: stream({ holdSeconds: -1 }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds: -1 must be 0 or more/,
  },
  {
    name: "a hold with a unit",
    input: stream({ holdSeconds: "5s" }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds: expected seconds, or/,
  },
  {
    name: "a hold past one year",
    input: stream({ holdSeconds: { distribution: "constant", value: 1e10 } }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds\.value: 10000000000 exceeds 31,536,000/,
  },
  {
    name: "an unknown distribution",
    input: stream({ holdSeconds: { distribution: "pareto", alpha: 1 } }),
    code: 2,
    stderr:
      /traffic\[0\]\.holdSeconds: expected seconds, or \{ distribution: constant\|exponential\|uniform\|lognormal \}/,
  },
  {
    name: "an exponential mean of 0",
    input: stream({ holdSeconds: { distribution: "exponential", mean: 0 } }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds\.mean: 0 must be above 0/,
  },
  {
    name: "uniform min above max",
    input: stream({ holdSeconds: { distribution: "uniform", min: 5, max: 1 } }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds\.max: min must not exceed max/,
  },
  {
    name: "lognormal sigma 50",
    input: stream({ holdSeconds: { distribution: "lognormal", mean: 5, sigma: 50 } }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds\.sigma: 50 exceeds 5 \(natcap's bound on lognormal sigma/,
  },
  {
    name: "a negative lognormal sigma",
    input: stream({ holdSeconds: { distribution: "lognormal", mean: 5, sigma: -1 } }),
    code: 2,
    stderr: /traffic\[0\]\.holdSeconds\.sigma: -1 must be 0 or more/,
  },
  {
    name: "holdSeconds and hold both",
    input: stream({ hold: { distribution: "constant", value: 1 } }),
    code: 2,
    stderr: /traffic\[0\]\.hold: give either holdSeconds or hold, not both/,
  },
  {
    name: "close reset",
    input: stream({ close: "reset" }),
    code: 2,
    stderr: /traffic\[0\]\.close: "reset" is not one of fin, rst, idle/,
  },
  {
    name: "UDP with close: fin",
    input: udp({ close: "fin" }),
    code: 2,
    stderr:
      /traffic\[0\]\.close: "fin" does not apply to UDP destination "api": UDP has no FIN or RST: a NAT gateway ends a UDP flow only at its idle timeout; remove close or set close: idle/,
  },
  {
    name: "UDP with close: rst",
    input: udp({ close: "rst" }),
    code: 2,
    stderr: /traffic\[0\]\.close: "rst" does not apply to UDP/,
  },
  {
    name: "schedule steps out of order",
    input: stream({
      schedule: [
        { atSeconds: 30, multiplier: 2 },
        { atSeconds: 10, multiplier: 1 },
      ],
    }),
    code: 2,
    stderr: /traffic\[0\]\.schedule\[1\]\.atSeconds: 10 must be later than the previous step \(30\)/,
  },
  {
    name: "a negative multiplier",
    input: stream({ schedule: [{ atSeconds: 10, multiplier: -1 }] }),
    code: 2,
    stderr: /traffic\[0\]\.schedule\[0\]\.multiplier: -1 must be 0 or more/,
  },
  {
    name: "a multiplier past natcap's bound",
    input: stream({ schedule: [{ atSeconds: 10, multiplier: 1e9 }] }),
    code: 2,
    stderr: /traffic\[0\]\.schedule\[0\]\.multiplier: 1000000000 exceeds 1,000,000/,
  },
  {
    name: "a schedule step at infinity",
    input: yamlBase.replace(
      "holdSeconds: 1 }",
      "holdSeconds: 1, schedule: [{ atSeconds: .inf, multiplier: 2 }] }",
    ),
    code: 2,
    stderr: /traffic\[0\]\.schedule\[0\]\.atSeconds: expected a number of seconds, 0 or more, got Infinity/,
  },
  {
    name: "100,001 schedule steps",
    input: stream({ schedule: Array.from({ length: 100_001 }, (_, i) => ({ atSeconds: i, multiplier: 1 })) }),
    code: 2,
    stderr: /traffic\[0\]\.schedule: has more than 100,000 steps/,
  },
  {
    name: "100,001 schedule steps across two streams",
    input: top({
      traffic: [0, 1].map((k) => ({
        to: "api",
        connectionsPerSecond: 1,
        holdSeconds: 1,
        schedule: Array.from({ length: 50_000 + k }, (_, i) => ({ atSeconds: i / 1000, multiplier: 1 })),
      })),
    }),
    code: 2,
    stderr:
      /traffic\[1\]\.schedule: brings the workload to 100,001 schedule steps, more than natcap's bound of 100,000 across all traffic streams/,
  },
  {
    // Bounded by the work it costs, not by a count: 2,000 streams are 2,001 units of 250,000.
    name: "2,000 traffic streams are accepted",
    input: top({
      traffic: Array.from({ length: 2000 }, () => ({
        to: "api",
        connectionsPerSecond: 0.001,
        holdSeconds: 1,
      })),
    }),
    code: 0,
  },
  {
    name: "an unknown traffic field",
    input: stream({ rate: 5 }),
    code: 2,
    stderr: /traffic\[0\]\.rate: unknown field "rate"/,
  },
  // Work beyond the budget.
  {
    name: "a year at 100,000/s",
    input: top({
      durationSeconds: 31_536_000,
      traffic: [{ to: "api", connectionsPerSecond: 100_000, holdSeconds: 0.001, close: "rst" }],
      gateway: { ips: 2, portReuseSeconds: { rst: 0 } },
    }),
    code: 2,
    stderr:
      /needs about 3,153,600,000,000 simulated connection attempts, more than the budget of 2,000,000,000 \(--max-attempts\); fix: shorten durationSeconds to 20,000 or less, or raise the budget with --max-attempts 3153600000000/,
  },
  {
    name: "a run past a lowered --max-attempts",
    input: base(),
    args: ["--max-attempts", "100"],
    code: 2,
    stderr:
      /needs about 600 simulated connection attempts, more than the budget of 100 .*shorten durationSeconds to 10 or less/,
  },
  {
    name: "--max-attempts that is not a number",
    input: base(),
    args: ["--max-attempts", "lots"],
    code: 2,
    stderr: /--max-attempts "lots" is not a whole number/,
  },
  {
    name: "--max-attempts 0",
    input: base(),
    args: ["--max-attempts", "0"],
    code: 2,
    stderr: /--max-attempts "0" is not a whole number/,
  },
  // Valid inputs: they run, and exit 0 or 1.
  { name: "the small valid workload", input: base(), code: 0 },
  { name: "the same workload as YAML", input: yamlBase, code: 0 },
  { name: "a UTF-8 byte-order mark", input: `\ufeff${yamlBase}`, code: 0 },
  { name: "a DNS name with a trailing dot", input: dest({ address: "api.example.com." }), code: 0 },
  { name: "UDP without close (idle)", input: udp({}), code: 0 },
  { name: "UDP with close: idle", input: udp({ close: "idle" }), code: 0 },
  {
    name: "a schedule step after the end warns and still runs",
    input: stream({ schedule: [{ atSeconds: 600, multiplier: 2 }] }),
    code: 0,
    stderr:
      /^natcap: warning: traffic\[0\]\.schedule\[0\]\.atSeconds: 600 is at or after the end of the run \(durationSeconds 60\), so the step never applies/,
  },
  { name: "a peak-only expectation that fits", input: dest({ peakConnections: 100_000 }), code: 0 },
  {
    name: "434,000 held for an hour on 8 hashed IPs",
    input: {
      ...dest({ peakConnections: 434_000, peakDurationSeconds: 3600, peakHoldSeconds: 60 }),
      gateway: { ips: 8 },
    },
    code: 1,
  },
  {
    name: "a peak beside traffic is kept",
    input: { ...dest({ peakConnections: 200_000 }), gateway: { ips: 1 } },
    code: 1,
  },
  { name: "a destination over its limit", input: gw({ ips: 1, perIpDestinationLimit: 5 }), code: 1 },
  {
    name: "a small lognormal sigma",
    input: stream({ holdSeconds: { distribution: "lognormal", mean: 1, sigma: 5 } }),
    code: 0,
  },
  {
    name: "a multiplier of 0 stops traffic",
    input: stream({ schedule: [{ atSeconds: 10, multiplier: 0 }] }),
    code: 0,
  },
];

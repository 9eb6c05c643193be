/**
 * The gateway-endpoint exclusion of the capacity contract, in one place: traffic to a destination
 * whose `service` has a VPC gateway endpoint (S3, DynamoDB) goes through the endpoint, not the NAT
 * gateway, so a capacity check leaves the destination and its traffic streams out.
 *
 * @module
 */

/** AWS services a VPC gateway endpoint can carry (the values of a destination's `service`). */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;
/** One of {@link GATEWAY_ENDPOINT_SERVICES}. */
export type GatewayEndpointServiceName = (typeof GATEWAY_ENDPOINT_SERVICES)[number];

/** The parts of an expectation or workload the exclusion reads. */
export interface EndpointSplitInput<D extends { name: string; service?: string }, T extends { to: string }> {
  /** Destinations, each optionally tagged with the service it belongs to. */
  readonly destinations: readonly D[];
  /** Traffic streams, each naming its destination in `to`. */
  readonly traffic?: readonly T[];
}

/** Result of {@link splitByGatewayEndpoints}. */
export interface EndpointSplit<D, T> {
  /** Destinations that go through the NAT gateway, in input order. */
  readonly destinations: D[];
  /** Streams to those destinations (undefined when the input had none). */
  readonly traffic: T[] | undefined;
  /** Destinations a gateway endpoint carries instead, in input order. */
  readonly excluded: D[];
}

/**
 * Splits destinations (and their traffic) into those the NAT gateway carries and those a gateway
 * endpoint for one of `services` carries instead. Works on the raw expectation a component or policy
 * is given and on a validated workload alike.
 */
export function splitByGatewayEndpoints<
  D extends { name: string; service?: string },
  T extends { to: string },
>(input: EndpointSplitInput<D, T>, services: readonly string[]): EndpointSplit<D, T> {
  const excluded = input.destinations.filter((d) => d.service !== undefined && services.includes(d.service));
  if (excluded.length === 0)
    return { destinations: [...input.destinations], traffic: input.traffic && [...input.traffic], excluded };
  const names = new Set(excluded.map((d) => d.name));
  return {
    destinations: input.destinations.filter((d) => !names.has(d.name)),
    traffic: input.traffic?.filter((t) => !names.has(t.to)),
    excluded,
  };
}

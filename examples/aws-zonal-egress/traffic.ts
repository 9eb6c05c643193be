// Expected traffic through each zone's NAT gateway: the component checks it at construction, the
// policy pack re-checks it at preview, and `npm start` simulates it and charts it in the HTML report.
import { aws } from "natcap";

/**
 * Per Availability Zone (each zone's gateway carries its own zone's traffic). The directory logins
 * peak at the start of the working day: 1,100 new LDAPS connections per second, held about a minute,
 * plus the 60 s hold-down after close, keep about 130,000 ports busy to one destination — more than
 * the 2 × 55,000 the default quota of 2 Elastic IPs allows, so each gateway gets 3.
 */
export const expectedTraffic: aws.ExpectedTrafficArgs = {
  destinations: [
    { name: "ldap", address: "203.0.113.10", port: 636, protocol: aws.Protocol.Tcp },
    { name: "payments-api", address: "198.51.100.20", port: 443, peakConnections: 40_000 },
    // Carried by the S3 gateway endpoint, so left out of the NAT capacity check.
    {
      name: "s3",
      address: "52.216.0.10",
      port: 443,
      peakConnections: 200_000,
      service: aws.GatewayEndpointService.S3,
    },
  ],
  traffic: [
    {
      to: "ldap",
      connectionsPerSecond: 700,
      hold: { distribution: aws.HoldDistribution.Exponential, mean: 60 },
      close: aws.CloseKind.Fin,
      // 09:00 login storm: 1.6 × the base rate for three minutes.
      schedule: [
        { atSeconds: 300, multiplier: 1.6 },
        { atSeconds: 480, multiplier: 1 },
      ],
    },
  ],
  durationSeconds: 900,
};

// The stall watch of natcap check's runner: what counts as progress, the message of a stalled
// program, and the default every user gets.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_STALL_SECONDS, type RecordedResource } from "../../check/record";
import { stalledError, watchProgress } from "../../check/stall";
import { checkCommand } from "../../cli/check";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("watchProgress", () => {
  it("calls onStall once when nothing changed for the stall time", () => {
    const onStall = vi.fn();
    watchProgress(10_000, () => "1 0 3", onStall);
    vi.advanceTimersByTime(9_000);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onStall).toHaveBeenCalledTimes(1);
    expect(onStall.mock.calls[0][0]).toBeGreaterThanOrEqual(10_000);
  });

  it("never stalls a program that keeps registering or resolving", () => {
    const onStall = vi.fn();
    let n = 0;
    watchProgress(3_000, () => String(Math.floor(n++ / 2)), onStall);
    vi.advanceTimersByTime(120_000);
    expect(onStall).not.toHaveBeenCalled();
  });

  it("counts a busy event loop (a late tick: compiling, computing) as progress", () => {
    const onStall = vi.fn();
    watchProgress(5_000, () => "same", onStall);
    vi.advanceTimersByTime(4_000);
    // The loop was blocked for 20 s (a type-check): the next tick comes late.
    vi.setSystemTime(Date.now() + 20_000);
    vi.advanceTimersByTime(1_000);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it("stops watching when ended", () => {
    const onStall = vi.fn();
    const end = watchProgress(2_000, () => "same", onStall);
    end();
    vi.advanceTimersByTime(60_000);
    expect(onStall).not.toHaveBeenCalled();
  });
});

describe("stalledError", () => {
  const vpc = { type: "aws:ec2/vpc:Vpc", name: "main" } as RecordedResource;

  it("names the last resource registered and what the runtime still waits on", () => {
    const e = stalledError(
      61_400,
      [vpc],
      [
        { _debugCtx: "resolveURN(resource:ldap[adversarial:index:Endpoint])" },
        { _debugCtx: "resolveID(resource:ldap[adversarial:index:Endpoint])" },
        { _debugCtx: "serializeProperty.await(Promise<resource:ldap[adversarial:index:Endpoint].address>)" },
        { _debugCtx: "serializeProperty.await(Promise<resource:ldap[adversarial:index:Endpoint].address>)" },
      ],
    );
    expect(e.name).toBe("StalledError");
    expect(e.message).toBe(
      "made no progress for 61 s (no resource registered, no output resolved) and was stopped\n" +
        'last resource registered: aws:ec2/vpc:Vpc "main"\n' +
        'still waiting on: adversarial:index:Endpoint "ldap" (not registered: its inputs are not resolved); input address of adversarial:index:Endpoint "ldap"',
    );
  });

  it("says when nothing was registered and the wait is on the program's own promise", () => {
    const e = stalledError(60_000, [], [{ _debugCtx: "disconnect" }]);
    expect(e.message).toContain("no resource was registered");
    expect(e.message).toContain("a promise of the program's own");
  });
});

describe("the stall timeout every user gets", () => {
  it("is 60 seconds, the default of natcap check --stall-timeout", () => {
    expect(DEFAULT_STALL_SECONDS).toBe(60);
    const option = checkCommand().options.find((o) => o.long === "--stall-timeout");
    expect(option?.defaultValue).toBe(DEFAULT_STALL_SECONDS);
  });
});

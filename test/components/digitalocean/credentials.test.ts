/** The digitalocean provider's API token, found as the provider reads it: an empty variable is an unset one. */
import { describe, expect, it } from "vitest";
import { digitalOceanCredentials } from "../../../components/digitalocean/credentials.js";
import { NotReadyError } from "../../../model/errors.js";
import { thrownBy } from "../../support/errors.js";

const NONE = "no DigitalOcean credentials: set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) to an API token with write scope";

describe("DigitalOcean credentials", () => {
  it("takes DIGITALOCEAN_TOKEN, before DIGITALOCEAN_ACCESS_TOKEN", () => {
    expect(digitalOceanCredentials({ DIGITALOCEAN_TOKEN: "t" })).toBe("an API token (DIGITALOCEAN_TOKEN)");
    expect(digitalOceanCredentials({ DIGITALOCEAN_TOKEN: "t", DIGITALOCEAN_ACCESS_TOKEN: "a" })).toBe("an API token (DIGITALOCEAN_TOKEN)");
  });

  it("takes DIGITALOCEAN_ACCESS_TOKEN alone, or beside an empty DIGITALOCEAN_TOKEN", () => {
    expect(digitalOceanCredentials({ DIGITALOCEAN_ACCESS_TOKEN: "a" })).toBe("an API token (DIGITALOCEAN_ACCESS_TOKEN)");
    expect(digitalOceanCredentials({ DIGITALOCEAN_TOKEN: "", DIGITALOCEAN_ACCESS_TOKEN: "a" })).toBe("an API token (DIGITALOCEAN_ACCESS_TOKEN)");
  });

  it("refuses no token, or empty ones, with exit 3, naming both variables", () => {
    for (const env of [{}, { DIGITALOCEAN_TOKEN: "" }, { DIGITALOCEAN_TOKEN: "", DIGITALOCEAN_ACCESS_TOKEN: "" }, { DO_TOKEN: "t" }]) {
      const error = thrownBy(NotReadyError, () => digitalOceanCredentials(env));
      expect(error.message).toBe(NONE);
      expect(error.exitCode).toBe(3);
    }
  });
});

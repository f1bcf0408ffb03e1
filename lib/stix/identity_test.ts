import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import { organizationIdentity } from "./identity.ts";

Deno.test("organizationIdentity() builds the author with pycti's id and every given property", () => {
  assert.deepEqual(
    organizationIdentity(
      {
        name: "Silent Push",
        description: "We know first",
        contactInformation: "help@silentpush.com",
        organizationType: "vendor",
      },
      {
        externalReferences: [
          {
            source_name: "Home Page",
            url: "https://www.silentpush.com/",
            description: "Sign up today!",
          },
        ],
      },
    ),
    {
      type: "identity",
      spec_version: "2.1",
      id: "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a",
      name: "Silent Push",
      description: "We know first",
      identity_class: "organization",
      contact_information: "help@silentpush.com",
      x_opencti_organization_type: "vendor",
      external_references: [
        {
          source_name: "Home Page",
          description: "Sign up today!",
          url: "https://www.silentpush.com/",
        },
      ],
    },
  );
});

Deno.test("organizationIdentity() for a registrar carries the author and creation dates", () => {
  assert.deepEqual(
    organizationIdentity(
      { name: "ProofPoint ET Intelligence" },
      {
        createdByRef: "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a",
        created: "2024-05-01T10:00:00Z",
        modified: "2024-05-01T10:00:00Z",
        labels: ["registrar"],
      },
    ),
    {
      type: "identity",
      spec_version: "2.1",
      id: "identity--fed9dc45-9659-5e32-9d2d-eb9a45df43a7",
      name: "ProofPoint ET Intelligence",
      identity_class: "organization",
      created: "2024-05-01T10:00:00.000Z",
      modified: "2024-05-01T10:00:00.000Z",
      created_by_ref: "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a",
      labels: ["registrar"],
    },
  );
});

Deno.test("organizationIdentity() refuses a blank name or contact", () => {
  assert.throws(
    () => organizationIdentity({ name: "  " }),
    (error: unknown) =>
      error instanceof StixError && error.property === "name" &&
      error.message === "Invalid identity name: expected a non-empty string",
  );
  assert.throws(
    () => organizationIdentity({ name: "X", contactInformation: "" }),
    /Invalid identity contact_information/,
  );
});

/**
 * How the console words the API's validation errors: the one place that maps input field names
 * to the words and units a person reads ("memoryMb must be at most 262144" becomes "Memory must
 * be at most 256 GiB"). Every form reads field errors through here (useMutationFeedback,
 * fieldErrorsOf). The API itself keeps its field names: clients key on them.
 */

type Unit = "MiB" | "GiB" | "TiB" | "days";
type FieldWording = { label: string; unit?: Unit };

export const FIELD_WORDING: Readonly<Record<string, FieldWording>> = {
  name: { label: "Name" },
  templateId: { label: "Template" },
  memoryMb: { label: "Memory", unit: "MiB" },
  vcpus: { label: "vCPUs" },
  sizeGb: { label: "Size", unit: "GiB" },
  diskGb: { label: "Disk space", unit: "GiB" },
  vms: { label: "VMs" },
  networks: { label: "Networks" },
  diskId: { label: "Disk" },
  networkId: { label: "Network" },
  vmId: { label: "VM" },
  destinationHostId: { label: "Destination host" },
  snapshotId: { label: "Snapshot" },
  mode: { label: "Stop mode" },
  email: { label: "Email" },
  role: { label: "Role" },
  expiresInDays: { label: "Expiry", unit: "days" },
  idempotencyKey: { label: "Request key" },
  permissions: { label: "Permissions" },
  expiresAt: { label: "Expiry date" },
  allowedCidr: { label: "Client address range" },
  data: { label: "Console input" },
  consoleId: { label: "Console" },
};

/** Other API field names inside a message ("one of expiresInDays or expiresAt"), in words; plain words ("name") stay. */
function sayFieldNames(message: string): string {
  return message.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (word) => FIELD_WORDING[word]?.label.toLowerCase() ?? word);
}

const BINARY_STEPS: Partial<Record<Unit, Unit[]>> = { MiB: ["MiB", "GiB", "TiB"], GiB: ["GiB", "TiB"] };

/** An amount in the field's unit, in the largest binary unit that keeps it whole (262144 MiB: 256 GiB). */
export function sayAmount(value: number, unit: Unit): string {
  const steps = BINARY_STEPS[unit];
  if (!steps) return `${value} ${value === 1 && unit === "days" ? "day" : unit}`;
  let amount = value;
  let step = 0;
  while (step < steps.length - 1 && amount >= 1024 && amount % 1024 === 0) {
    amount /= 1024;
    step++;
  }
  return `${amount} ${steps[step]}`;
}

/**
 * One error message about `field` in words: its name becomes its label, bounds get their unit,
 * the API's own unit hints in parentheses go. A message that does not name the field gets the
 * label in front (the forms show it under the field, the action bars beside the VM); one that
 * is already a sentence (capitalised: a quota refusal) is left as it is.
 */
export function sayFieldError(field: string, message: string): string {
  const wording = FIELD_WORDING[field];
  if (!wording) return message;
  let rest = message.trim();
  // Already a sentence for people ("Acme Corp uses 2 of 2 VMs; …"): said as it is.
  if (/^[A-Z]/.test(rest)) return rest;
  // "name: a VM with this name already exists": the field, then what is wrong with it.
  if (rest.startsWith(`${field}: `)) return `${wording.label}: ${rest.slice(field.length + 2)}`;
  const named = rest.startsWith(`${field} `);
  if (named) rest = rest.slice(field.length + 1);
  if (wording.unit) {
    const unit = wording.unit;
    rest = rest
      .replace(/\s*\(\d+(?:\.\d+)? ?(?:[KMGT]i?B|days?)\)/g, "")
      .replace(/\b(at most|at least|more than|less than) (\d+)\b(?! ?(?:[KMGT]i?B|days?|characters))/g, (_, bound: string, n: string) => `${bound} ${sayAmount(Number(n), unit)}`);
  }
  rest = sayFieldNames(rest);
  if (named || rest.startsWith("must ")) return `${wording.label} ${rest}`;
  return `${wording.label}: ${rest}`;
}

export type FieldErrors = Partial<Record<string, string[] | undefined>>;

/** Every field error of an answer, in words, per field. */
export function sayFieldErrors(fieldErrors: FieldErrors | undefined | null): Record<string, string[]> {
  const said: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
    if (messages?.length) said[field] = messages.map((m) => sayFieldError(field, m));
  }
  return said;
}

/** The field errors of a failed tRPC call (BAD_REQUEST carries them in data.fieldErrors), in words. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const data = (error as { data?: { fieldErrors?: FieldErrors } | null } | null)?.data;
  return sayFieldErrors(data?.fieldErrors);
}

/**
 * A failed call as one line for an action bar: its field errors in words if it has any, else
 * its message (server messages are written for people already; a leading field name is worded).
 */
export function sayError(error: { message: string; data?: { fieldErrors?: FieldErrors } | null }): string {
  const fields = Object.values(fieldErrorsOf(error)).flat();
  if (fields.length) return fields.join("; ");
  const named = /^([A-Za-z]+): /.exec(error.message);
  if (named && FIELD_WORDING[named[1]!]) return sayFieldError(named[1]!, error.message);
  return error.message;
}

/**
 * A VM's state reason in words: a failed operation's reason quotes the host, which names the
 * field it refused ("resize failed: EINVAL: vcpus: at most 1 while the domain runs …").
 */
export function sayReason(reason: string): string {
  return reason.replace(/\b(?:[A-Z]+: )?(vcpus|memoryMb): (.*)$/, (_, field: string, rest: string) => sayFieldError(field, `${field}: ${rest}`));
}

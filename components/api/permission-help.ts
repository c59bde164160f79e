/** One line per permission for the token form; a permission without a line shows its name only. */
export const PERMISSION_HELP: Record<string, string> = {
  "realm.read": "see the realm and its quota",
  "vm.read": "list and read VMs and their operations",
  "vm.create": "create VMs",
  "vm.start": "start VMs",
  "vm.stop": "stop VMs",
  "vm.pause": "pause VMs",
  "vm.resume": "resume VMs",
  "vm.reboot": "reboot VMs",
  "vm.migrate": "migrate VMs between hosts",
  "vm.devices": "attach and detach disks and networks",
  "vm.destroy": "destroy VMs",
  "vm.configure": "rename and resize VMs",
  "vm.snapshot": "take, revert to and delete VM snapshots",
  "vm.console": "open VM consoles and type into them",
  "storage.manage": "create and delete disks",
  "network.manage": "create and delete networks",
  "audit.read": "read the audit trail",
  "realm.members.read": "see members",
  "realm.members.manage": "invite, change and remove members",
  "realm.tokens.manage": "list and revoke every member's tokens",
  "realm.agreements.manage": "propose, accept, decline and revoke sharing agreements with other realms",
};

/** Read-only permissions: what a new token starts with. */
export function isReadOnly(permission: string): boolean {
  return permission.endsWith(".read");
}

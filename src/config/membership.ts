import type { Department, OrgConfig } from './org-schema.js';

/** Members of a Slack user group, looked up by the caller (the Slack directory in the app, a map in tests). */
export type GroupMembers = (usergroupId: string) => Promise<ReadonlySet<string>>;

/** Is the user a member or lead of the department, directly or through its user group? */
export async function belongsToDepartment(
  department: Department,
  userId: string,
  groupMembers: GroupMembers,
): Promise<boolean> {
  if (department.members.includes(userId) || department.leads.includes(userId)) return true;
  if (!department.usergroup) return false;
  return (await groupMembers(department.usergroup)).has(userId);
}

/** Every department the user belongs to, in config order. User groups are looked up only when needed. */
export async function departmentsOfMember(
  config: OrgConfig,
  userId: string,
  groupMembers: GroupMembers,
): Promise<Department[]> {
  const result: Department[] = [];
  for (const department of config.departments) {
    if (await belongsToDepartment(department, userId, groupMembers)) result.push(department);
  }
  return result;
}

/** Everyone in the department: members, leads and, if it has one, its user group's members. */
export async function peopleOfDepartment(
  department: Department,
  groupMembers: GroupMembers,
): Promise<string[]> {
  const people = new Set([...department.members, ...department.leads]);
  if (department.usergroup) for (const id of await groupMembers(department.usergroup)) people.add(id);
  return [...people];
}

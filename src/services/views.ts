import type { HouseView, MemberView } from "../core/command.ts";
import type { House, Member } from "../generated/prisma/client.ts";

export function houseView(house: House): HouseView {
  return {
    id: house.id,
    name: house.name,
    timezone: house.timezone,
    country: house.country,
    platform: house.platform,
    workspaceId: house.workspaceId,
  };
}

export function memberView(member: Pick<Member, "id" | "houseId" | "displayName" | "role" | "peerRole" | "status">): MemberView {
  return {
    id: member.id,
    houseId: member.houseId,
    displayName: member.displayName,
    role: member.role,
    peerRole: member.peerRole,
    status: member.status,
  };
}

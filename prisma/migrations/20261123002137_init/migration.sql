-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('discord', 'slack', 'console');

-- CreateEnum
CREATE TYPE "MemberRole" AS ENUM ('resident', 'counsellor', 'admin');

-- CreateEnum
CREATE TYPE "PeerRole" AS ENUM ('none', 'buddy_eligible', 'senior_peer');

-- CreateEnum
CREATE TYPE "MemberStatus" AS ENUM ('invited', 'active', 'paused', 'discharged');

-- CreateEnum
CREATE TYPE "CheckinStatus" AS ENUM ('pending', 'answered', 'missed', 'excused');

-- CreateEnum
CREATE TYPE "CheckinFeeling" AS ENUM ('steady', 'struggling', 'used', 'help');

-- CreateEnum
CREATE TYPE "AbsenceStatus" AS ENUM ('requested', 'approved', 'declined');

-- CreateEnum
CREATE TYPE "SobrietyEventKind" AS ENUM ('date_set', 'lapse', 'recommitment');

-- CreateEnum
CREATE TYPE "MeetingSource" AS ENUM ('manual', 'meeting_guide', 'bmlt');

-- CreateEnum
CREATE TYPE "Fellowship" AS ENUM ('AA', 'NA', 'CA', 'SMART', 'in_house', 'other');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('went', 'could_not', 'excused');

-- CreateEnum
CREATE TYPE "PairingStatus" AS ENUM ('proposed', 'active', 'ended', 'declined');

-- CreateEnum
CREATE TYPE "RiskSignalKind" AS ENUM ('reported_use', 'high_craving', 'low_mood', 'missed_checkin', 'crisis_words', 'sos', 'unreachable');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateEnum
CREATE TYPE "OutboxLane" AS ENUM ('alert', 'interactive', 'prompt', 'reminder', 'bulk');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'dead', 'cancelled');

-- CreateEnum
CREATE TYPE "OutboxKind" AS ENUM ('send', 'update');

-- CreateTable
CREATE TABLE "House" (
    "id" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "country" TEXT NOT NULL DEFAULT 'GB',
    "houseChannelId" TEXT,
    "staffChannelId" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "House_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'resident',
    "peerRole" "PeerRole" NOT NULL DEFAULT 'none',
    "status" "MemberStatus" NOT NULL DEFAULT 'invited',
    "isBot" BOOLEAN NOT NULL DEFAULT false,
    "programmeStart" TEXT,
    "sobrietyDate" TEXT,
    "checkinTime" TEXT,
    "timezone" TEXT,
    "timezoneSource" TEXT,
    "dmChannelId" TEXT,
    "reachable" BOOLEAN NOT NULL DEFAULT true,
    "consentAt" TIMESTAMP(3),
    "consentVersion" TEXT,
    "consentWithdrawnAt" TIMESTAMP(3),
    "shareLapseWithBuddy" BOOLEAN NOT NULL DEFAULT false,
    "celebrateInHouse" BOOLEAN NOT NULL DEFAULT false,
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "keyCounsellorId" TEXT,
    "onDuty" BOOLEAN NOT NULL DEFAULT false,
    "pausedUntil" TEXT,
    "nextCheckinAt" TIMESTAMP(3),
    "dischargedAt" TIMESTAMP(3),
    "dischargeReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checkin" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "promptedAt" TIMESTAMP(3),
    "remindAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "status" "CheckinStatus" NOT NULL DEFAULT 'pending',
    "feeling" "CheckinFeeling",
    "usedToday" BOOLEAN,
    "craving" INTEGER,
    "mood" INTEGER,
    "meetingToday" BOOLEAN,
    "noteCipher" TEXT,
    "source" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Checkin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Absence" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "AbsenceStatus" NOT NULL DEFAULT 'requested',
    "requestedById" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Absence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SobrietyEvent" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" "SobrietyEventKind" NOT NULL,
    "date" TEXT NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SobrietyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "source" "MeetingSource" NOT NULL DEFAULT 'manual',
    "externalSlug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fellowship" "Fellowship" NOT NULL DEFAULT 'other',
    "weekdays" INTEGER[],
    "startTime" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "timezone" TEXT NOT NULL,
    "types" TEXT[],
    "location" TEXT,
    "address" TEXT,
    "conferenceUrl" TEXT,
    "conferencePhone" TEXT,
    "notes" TEXT,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSubscription" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "status" "AttendanceStatus" NOT NULL,
    "source" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuddyPairing" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "newcomerId" TEXT NOT NULL,
    "buddyId" TEXT NOT NULL,
    "status" "PairingStatus" NOT NULL DEFAULT 'proposed',
    "activeNewcomerId" TEXT,
    "rank" INTEGER,
    "proposedById" TEXT,
    "approvedById" TEXT,
    "startedAt" TIMESTAMP(3),
    "plannedEndAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuddyPairing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuddyPing" (
    "id" TEXT NOT NULL,
    "pairingId" TEXT NOT NULL,
    "fromId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuddyPing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "peerRole" "PeerRole" NOT NULL,
    "grantedById" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "revokeReason" TEXT,

    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskSignal" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" "RiskSignalKind" NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "alertId" TEXT,

    CONSTRAINT "RiskSignal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "kind" "RiskSignalKind" NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "state" "AlertState" NOT NULL DEFAULT 'open',
    "dedupKey" TEXT NOT NULL,
    "openDedupKey" TEXT,
    "policy" JSONB NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "loop" INTEGER NOT NULL DEFAULT 0,
    "nextEscalationAt" TIMESTAMP(3),
    "retriggerAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "lane" "OutboxLane" NOT NULL,
    "kind" "OutboxKind" NOT NULL DEFAULT 'send',
    "targetMemberId" TEXT,
    "targetChannelId" TEXT,
    "updateOfId" TEXT,
    "correlationKey" TEXT,
    "message" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "claimedBy" TEXT,
    "sentRef" JSONB,
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "installKey" TEXT NOT NULL,
    "dataCipher" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "House_platform_workspaceId_key" ON "House"("platform", "workspaceId");

-- CreateIndex
CREATE INDEX "Member_nextCheckinAt_idx" ON "Member"("nextCheckinAt");

-- CreateIndex
CREATE UNIQUE INDEX "Member_houseId_platformUserId_key" ON "Member"("houseId", "platformUserId");

-- CreateIndex
CREATE INDEX "Checkin_status_closesAt_idx" ON "Checkin"("status", "closesAt");

-- CreateIndex
CREATE INDEX "Checkin_remindAt_idx" ON "Checkin"("remindAt");

-- CreateIndex
CREATE UNIQUE INDEX "Checkin_memberId_localDate_key" ON "Checkin"("memberId", "localDate");

-- CreateIndex
CREATE INDEX "Absence_memberId_fromDate_idx" ON "Absence"("memberId", "fromDate");

-- CreateIndex
CREATE INDEX "SobrietyEvent_memberId_date_idx" ON "SobrietyEvent"("memberId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_houseId_source_externalSlug_key" ON "Meeting"("houseId", "source", "externalSlug");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingSubscription_memberId_meetingId_key" ON "MeetingSubscription"("memberId", "meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_memberId_meetingId_localDate_key" ON "Attendance"("memberId", "meetingId", "localDate");

-- CreateIndex
CREATE UNIQUE INDEX "BuddyPairing_activeNewcomerId_key" ON "BuddyPairing"("activeNewcomerId");

-- CreateIndex
CREATE INDEX "BuddyPairing_buddyId_status_idx" ON "BuddyPairing"("buddyId", "status");

-- CreateIndex
CREATE INDEX "BuddyPairing_status_plannedEndAt_idx" ON "BuddyPairing"("status", "plannedEndAt");

-- CreateIndex
CREATE INDEX "BuddyPing_pairingId_createdAt_idx" ON "BuddyPing"("pairingId", "createdAt");

-- CreateIndex
CREATE INDEX "RoleGrant_memberId_createdAt_idx" ON "RoleGrant"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RiskSignal_dedupKey_key" ON "RiskSignal"("dedupKey");

-- CreateIndex
CREATE INDEX "RiskSignal_consumedAt_occurredAt_idx" ON "RiskSignal"("consumedAt", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_openDedupKey_key" ON "Alert"("openDedupKey");

-- CreateIndex
CREATE INDEX "Alert_nextEscalationAt_idx" ON "Alert"("nextEscalationAt");

-- CreateIndex
CREATE INDEX "Alert_retriggerAt_idx" ON "Alert"("retriggerAt");

-- CreateIndex
CREATE INDEX "Alert_houseId_state_idx" ON "Alert"("houseId", "state");

-- CreateIndex
CREATE INDEX "AlertEvent_alertId_at_idx" ON "AlertEvent"("alertId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_idempotencyKey_key" ON "Outbox"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Outbox_status_lane_nextAttemptAt_idx" ON "Outbox"("status", "lane", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_correlationKey_idx" ON "Outbox"("correlationKey");

-- CreateIndex
CREATE INDEX "InboundEvent_receivedAt_idx" ON "InboundEvent"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEvent_platform_eventId_key" ON "InboundEvent"("platform", "eventId");

-- CreateIndex
CREATE INDEX "AuditLog_houseId_at_idx" ON "AuditLog"("houseId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_installKey_key" ON "SlackInstallation"("installKey");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_keyCounsellorId_fkey" FOREIGN KEY ("keyCounsellorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkin" ADD CONSTRAINT "Checkin_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Absence" ADD CONSTRAINT "Absence_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Absence" ADD CONSTRAINT "Absence_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SobrietyEvent" ADD CONSTRAINT "SobrietyEvent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingSubscription" ADD CONSTRAINT "MeetingSubscription_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingSubscription" ADD CONSTRAINT "MeetingSubscription_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuddyPairing" ADD CONSTRAINT "BuddyPairing_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuddyPairing" ADD CONSTRAINT "BuddyPairing_newcomerId_fkey" FOREIGN KEY ("newcomerId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuddyPairing" ADD CONSTRAINT "BuddyPairing_buddyId_fkey" FOREIGN KEY ("buddyId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuddyPing" ADD CONSTRAINT "BuddyPing_pairingId_fkey" FOREIGN KEY ("pairingId") REFERENCES "BuddyPairing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuddyPing" ADD CONSTRAINT "BuddyPing_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskSignal" ADD CONSTRAINT "RiskSignal_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskSignal" ADD CONSTRAINT "RiskSignal_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskSignal" ADD CONSTRAINT "RiskSignal_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Outbox" ADD CONSTRAINT "Outbox_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "House" ADD COLUMN     "nextDigestAt" TIMESTAMP(3),
ADD COLUMN     "nextMeetingsPostAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "nextFollowUpAt" TIMESTAMP(3),
ADD COLUMN     "nextReminderAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "House_nextDigestAt_idx" ON "House"("nextDigestAt");

-- CreateIndex
CREATE INDEX "House_nextMeetingsPostAt_idx" ON "House"("nextMeetingsPostAt");

-- CreateIndex
CREATE INDEX "BuddyPairing_newcomerId_status_idx" ON "BuddyPairing"("newcomerId", "status");

-- CreateIndex
CREATE INDEX "Member_status_pausedUntil_idx" ON "Member"("status", "pausedUntil");

-- CreateIndex
CREATE INDEX "Meeting_nextReminderAt_idx" ON "Meeting"("nextReminderAt");

-- CreateIndex
CREATE INDEX "Meeting_nextFollowUpAt_idx" ON "Meeting"("nextFollowUpAt");

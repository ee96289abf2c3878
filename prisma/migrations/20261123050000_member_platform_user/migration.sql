-- CreateIndex
CREATE INDEX "Member_platformUserId_idx" ON "Member"("platformUserId");

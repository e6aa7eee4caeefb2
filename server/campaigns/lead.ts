/**
 * What campaign steps read of a lead: the typed columns of `leads` (db/schema/leads.ts)
 * plus the phone being texted. Plain values, so the dry-run can fill them from one SQL row
 * and tests from a literal; anything missing is `null` or absent.
 */
export interface CampaignLead {
	id: string;
	firstName?: string | null;
	lastName?: string | null;
	fullName?: string | null;
	email?: string | null;
	street?: string | null;
	city?: string | null;
	state?: string | null;
	zip?: string | null;
	timeZone?: string | null;
	tags?: readonly string[];
	/** The E.164 phone this campaign texts (a lead may have several). */
	phone?: string | null;
}

/** Who is sending, for merge fields that speak for the team rather than about the lead. */
export interface SenderContext {
	/** The person the message is signed by (campaign setting, else the operator). */
	senderName?: string | null;
	/** The business named in messages: workspace or 10DLC brand name. */
	companyName?: string | null;
}

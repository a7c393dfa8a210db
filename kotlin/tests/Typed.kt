// The typed surface against the simulator: every operation through its typed method, with
// a field of its typed result checked against what the simulator's README and seed data
// (or the provider docs it follows) say; then typed validation errors and flow state.
package dev.waonboard.tests

import dev.waonboard.*
import kotlinx.coroutines.runBlocking

fun typedSurface(sim: Simulator) {
    // The operations the simulator saw across these tests: they must cover the contract.
    val sent = mutableSetOf<String>()
    fun typed(name: String, body: suspend () -> Unit) = test("typed: $name") {
        sim.reset()
        try {
            runBlocking { body() }
        } finally {
            sent.addAll(sim.ops().map { it["op"] as String })
        }
    }

    typed("Meta: a number verified, registered, its PIN changed and deregistered") {
        val client = metaClient(sim)
        val number = sim.metaNumber("ready")
        val info = client.getPhoneNumber(number, fields = listOf("id", "code_verification_status", "name_status"))
        // README: 106540352242922 is NOT_VERIFIED with its name APPROVED.
        check(info.id == number && info.codeVerificationStatus == "NOT_VERIFIED" && info.nameStatus == "APPROVED") { "$info" }
        check(client.requestCode(number, codeMethod = "sms", language = "en_US").success) { "request_code" }
        check(client.verifyCode(number, sim.otp("meta", "phone_number_id=$number")).success) { "verify_code" }
        check(client.getPhoneNumber(number).codeVerificationStatus == "VERIFIED") { "not verified" }
        check(client.register(number, pin = "123456", tier = "PROD").success) { "register" }
        check(client.setTwoStepPin(number, "654321").success) { "set_two_step_pin" }
        check(client.deregister(number).success) { "deregister" }
        // README: 110200345501442 is registered with PIN 147258; a migration brings its backup.
        val backup = MetaBackup("pa55word", "backup-data")
        check(client.register(sim.metaNumber("registered"), sim.seed("meta", "registered_pin"), backup = backup).success) { "backup" }
    }

    typed("Meta: the WABA's numbers listed, filtered and added to") {
        val client = metaClient(sim)
        val waba = sim.seed("meta", "waba_id")
        val all = client.listPhoneNumbers(waba, fields = listOf("id"), limit = 100)
        val seeded = (sim.seed["meta"] as Map<*, *>)["phone_number_ids"] as Map<*, *>
        check(all.data.map { it.id }.toSet() == seeded.values.toSet()) { "${all.data}" }
        // README: 9007199254740993 is the one SANDBOX number.
        val sandbox = client.listPhoneNumbers(
            waba,
            fields = listOf("id", "account_mode"),
            filtering = listOf(MetaFilter("account_mode", "EQUAL", "SANDBOX")),
        )
        check(sandbox.data.map { it.id } == listOf(sim.metaNumber("big"))) { "${sandbox.data}" }
        check(sandbox.data.single().accountMode == "SANDBOX") { "${sandbox.data}" }
        val added = client.addPhoneNumber(waba, "+1 631-555-2468", verifiedName = "Sim Shop")
        check(added.id.isNotEmpty() && added.id.all { it.isDigit() }) { added.id }
        // README: new numbers are AVAILABLE_WITHOUT_REVIEW.
        check(client.getPhoneNumber(added.id, fields = listOf("name_status")).nameStatus == "AVAILABLE_WITHOUT_REVIEW") { "name" }
        check(client.allPhoneNumbers(waba, fields = listOf("id")).any { it.id == added.id }) { "not in the whole list" }
    }

    typed("Meta: a pre-verified number added, checked, verified, shared and deleted") {
        val client = metaClient(sim)
        val business = sim.seed("meta", "business_id")
        val partner = sim.seed("meta", "partner_business_id")
        val ids = (sim.seed["meta"] as Map<*, *>)["preverified_ids"] as Map<*, *>
        // Seed: Meta calls a FAILED number's ID invalid, a VERIFIED one's valid.
        check(client.getPreverifiedNumber(ids["verified"] as String).isInputIdValid == true) { "verified is invalid" }
        check(client.getPreverifiedNumber(ids["failed"] as String).isInputIdValid == false) { "failed is valid" }
        val id = client.addPreverifiedNumber(business, "+1 631-555-1357").id
        // README: added numbers are PENDING and AVAILABLE.
        val pending = client.listPreverifiedNumbers(
            business,
            fields = listOf("id", "verification_status", "availability_status"),
            verificationStatus = "PENDING",
        )
        val listed = pending.data.single { it.id == id }
        check(listed.verificationStatus == "PENDING" && listed.availabilityStatus == "AVAILABLE") { "$listed" }
        check(client.requestPreverifiedCode(id, "voice", "en_US").success) { "request_preverified_code" }
        check(client.verifyPreverifiedCode(id, sim.otp("meta", "phone_number_id=$id")).success) { "verify_preverified_code" }
        check(client.sharePreverifiedNumber(business, id, partner).success) { "share_preverified_number" }
        check(client.listPreverifiedPartners(id).data.single().id == partner) { "not shared" }
        check(client.deletePreverifiedNumber(id).success == true) { "not deleted" }
    }

    typed("Vonage: a deployment created, its code resent and verified, listed and deleted") {
        val client = vonageClient(sim)
        val created = client.createDeployment("+44 7700 900468", "AbCdEFGHiJK123456", "sms", "123456789123")
        val id = created.deploymentId
        // README: a deployment starts INITIALIZING.
        check(created.countryCode == "44" && created.number == "7700900468") { "${created.countryCode} ${created.number}" }
        check(created.currentState?.title == "INITIALIZING") { "${created.currentState?.title}" }
        check(client.getDeployment(id).wabaId == "123456789123") { "get_deployment" }
        val listed = client.listDeployments().deployments.map { it.deploymentId }
        check(id in listed && sim.seed("vonage", "ready_deployment_id") in listed) { "$listed" }
        check(client.waitForDeployment(id, listOf("CODE_SENT")).currentState?.title == "CODE_SENT") { "no code sent" }
        // Vonage's docs: resend answers with the method it used.
        check(client.resendOtp(id, "voice").method == "voice") { "resend_otp" }
        val verified = client.verifyOtp(id, sim.otp("vonage", "deployment_id=$id"))
        check(verified.deploymentId == id) { "${verified.deploymentId}" }
        check(client.waitForDeployment(id, listOf("READY")).deploymentId == id) { "not READY" }
        client.deleteDeployment(id)
        check(client.getDeployment(id).currentState?.title in setOf("DELETING", "DELETED")) { "not deleted" }
    }

    typed("Vonage: the READY deployment's profile, photo and stickers") {
        val client = vonageClient(sim)
        val ready = sim.seed("vonage", "ready_deployment_id")
        val updated = client.updateProfile(
            ready,
            about = "Fresh bread daily",
            email = "shop@example.com",
            vertical = "Food and Grocery",
            websites = listOf("https://example.com/"),
        )
        check(updated.about == "Fresh bread daily" && updated.websites == listOf("https://example.com/")) { "$updated" }
        val profile = client.getProfile(ready)
        check(profile.email == "shop@example.com" && profile.vertical == "Food and Grocery") { "$profile" }
        val url = "https://example.com/logo.png"
        check(client.updateProfilePhoto(ready, url).imageUrl == url) { "update_profile_photo" }
        check(client.getProfilePhoto(ready).imageUrl == url) { "get_profile_photo" }
        val pack = client.createStickerpack(ready, "Sim Publisher", "Breads").stickerpacks.single().id!!
        client.updateStickerpack(ready, pack, name = "Loaves")
        val packs = client.listStickerpacks(ready).stickerpacks
        check(packs.single { it.id == pack }.name == "Loaves") { "${packs.map { it.name }}" }
        check(client.listStickerpacks(ready).meta?.let { parseJson(it) } is Map<*, *>) { "meta is not JSON text" }
        val sticker = client.createSticker(ready, pack, "image-42", emojis = listOf("🍞")).stickers.single()
        // The On-Premises docs write the index as "0": the first sticker of a pack.
        check(sticker.index == "0") { "${sticker.index}" }
        check(client.listStickers(ready, pack).stickers.map { it.index } == listOf("0")) { "list_stickers" }
        val got = client.getSticker(ready, pack, 0).stickers.single()
        check(got.id == "image-42" && got.emojis == listOf("🍞")) { "${got.id} ${got.emojis}" }
        client.deleteSticker(ready, pack, 0)
        check(client.listStickers(ready, pack).stickers.isEmpty()) { "sticker not deleted" }
        client.deleteStickerpack(ready, pack)
        check(client.listStickerpacks(ready).stickerpacks.none { it.id == pack }) { "pack not deleted" }
    }

    typed("99digital: a token, a number registered and verified, the lists, an account deleted") {
        val client = digital99Client(sim)
        val token = client.accessToken(sim.seed("digital99", "client_id"), sim.seed("digital99", "client_secret"))
        // The Partners API's docs: a Bearer token, with when it lapses.
        check(token.accessToken.isNotEmpty() && token.tokenType == "Bearer" && (token.expirationTime ?: 0) > 0) { "token" }
        val registered = client.registerNumber("+972 50-555-2468", "sms", "1", comment = "typed test")
        check(registered.status == "OK" && registered.whatsapp == "972505552468") { "${registered.whatsapp}" }
        val verified = client.verifyNumber("+972505552468", sim.otp("digital99", "whatsapp=972505552468"))
        check(verified.whatsapp == "972505552468" && (verified.expiration ?: 0) > 0) { "${verified.expiration}" }
        val numbers = client.listRegisteredNumbers().list.mapNotNull { it.whatsapp }
        // README: 972503333333 is the seeded registered number.
        check("972505552468" in numbers && sim.seed("digital99", "registered_number") in numbers) { "$numbers" }
        val live = client.listWhatsappNumbers()
        check(live.status == "OK" && live.totalWhatsapp == live.list.size.toLong()) { "${live.totalWhatsapp}" }
        val accounts = client.listAccounts().list.mapNotNull { it.whatsapp }
        // README: accounts 972501111111 (finished) and 972504444444 (pending).
        check(accounts.containsAll(listOf("972501111111", "972504444444"))) { "$accounts" }
        check(client.deleteAccount("+972504444444").whatsapp == "972504444444") { "delete_account" }
        check(client.listAccounts().list.none { it.whatsapp == "972504444444" }) { "account not deleted" }
    }

    typed("a bad typed argument is a validation error naming it, and nothing is sent") {
        val meta = metaClient(sim)
        val pin = assertThrows<WaonboardException.Validation> {
            runBlocking { meta.register(sim.metaNumber("ready"), pin = "12345") }
        }
        check(pin.field == "pin" && "12345" !in pin.toString()) { "$pin" }
        val limit = assertThrows<WaonboardException.Validation> {
            runBlocking { meta.listPhoneNumbers(sim.seed("meta", "waba_id"), limit = 0) }
        }
        check(limit.field == "limit") { "${limit.field}" }
        val index = assertThrows<WaonboardException.Validation> {
            runBlocking { vonageClient(sim).getSticker(sim.seed("vonage", "ready_deployment_id"), "pack", -1) }
        }
        check(index.field == "sticker_index") { "${index.field}" }
        check(sim.ops().isEmpty()) { "${sim.ops()}" }
        // The backup's password is a secret: its object prints no field.
        check("pa55word" !in MetaBackup("pa55word", "backup-data").toString()) { "the backup prints its password" }
    }

    typed("a flow's pending write is typed") {
        val client = digital99Client(sim)
        val flow = Digital99Onboarding("+972 50-555-1357", "sms", "1")
        val disk = Disk()
        flow.advance(client, checkpoint = disk)
        val saved = Digital99Onboarding.fromJson(disk.saved.single())
        check(saved.pending() == "digital99.register_number" && flow.pending() == null) { "${saved.pending()}" }
    }

    test("typed: every operation was sent through its typed method") {
        check(sent == operations().toSet()) { "not sent: ${operations() - sent}" }
    }
}

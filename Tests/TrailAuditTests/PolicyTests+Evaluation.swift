import Testing

@testable import TrailAudit

@Suite struct PolicyEvaluationTests {
    static let allowAll = statement("Allow", #""Action": "*""#)

    @Test func notActionWithAllowGrantsEverythingExceptTheList() throws {
        let granted = try permissions(["p": statement("Allow", #""NotAction": ["iam:*", "sts:*"]"#)]
        )
        #expect(granted.decision(action: "s3:GetObject", resource: nil).verdict == .allowed)
        #expect(
            granted.decision(action: "IAM:CreateUser", resource: nil).verdict == .implicitlyDenied)
        #expect(
            granted.decision(action: "sts:AssumeRole", resource: "arn:aws:iam::1:role/x").verdict
                == .implicitlyDenied)
    }

    @Test func notActionWithDenyDeniesEverythingExceptTheList() throws {
        let granted = try permissions([
            "admin": Self.allowAll, "only-s3": statement("Deny", #""NotAction": "s3:*""#),
        ])
        #expect(granted.decision(action: "s3:PutObject", resource: nil).verdict == .allowed)
        let denied = granted.decision(action: "ec2:RunInstances", resource: nil)
        #expect(denied.verdict == .explicitlyDenied)
        #expect(denied.sources == ["only-s3"])
    }

    @Test func notResourceWithAllowExcludesTheListedResources() throws {
        let granted = try permissions([
            "p": statement(
                "Allow", #""Action": "s3:GetObject""#, #""NotResource": "arn:aws:s3:::secret/*""#)
        ])
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::secret/key").verdict
                == .implicitlyDenied)
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::public/key").verdict
                == .allowed)
        #expect(granted.decision(action: "s3:GetObject", resource: nil).verdict == .allowed)
    }

    @Test func notResourceStarAllowsNothing() throws {
        let granted = try permissions([
            "p": statement("Allow", #""Action": "*""#, #""NotResource": "*""#)
        ])
        #expect(
            granted.decision(action: "s3:GetObject", resource: nil).verdict == .implicitlyDenied)
        #expect(
            granted.decision(action: "s3:GetObject", resource: "x").verdict == .implicitlyDenied)
    }

    @Test func denyWithNotResourceOnlyPartlyDeniesTheAction() throws {
        // Everything outside one bucket is denied; the bucket stays reachable.
        let granted = try permissions([
            "admin": Self.allowAll,
            "fence": statement(
                "Deny", #""Action": "s3:*""#,
                #""NotResource": ["arn:aws:s3:::mine", "arn:aws:s3:::mine/*"]"#),
        ])
        let actionLevel = granted.decision(action: "s3:GetObject", resource: nil)
        #expect(actionLevel.verdict == .allowed)
        #expect(actionLevel.isPartiallyDenied)
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::mine/a").verdict
                == .allowed)
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::other/a").verdict
                == .explicitlyDenied)
    }

    @Test func denyWinsOverAllow() throws {
        let granted = try permissions([
            "read": statement("Allow", #""Action": "s3:GetObject""#),
            "no-get": statement("Deny", #""Action": "s3:Get*""#),
        ])
        #expect(
            granted.decision(action: "s3:GetObject", resource: nil).verdict == .explicitlyDenied)
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::b/k").verdict
                == .explicitlyDenied)
    }

    @Test func conditionalAllowIsMarkedConditional() throws {
        let granted = try permissions([
            "mfa": statement(
                "Allow", #""Action": "iam:*""#,
                condition: #"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#)
        ])
        let decision = granted.decision(action: "iam:CreateUser", resource: nil)
        #expect(decision.verdict == .allowedConditionally)
        #expect(decision.sources == ["mfa"])
        #expect(
            granted.decision(action: "iam:CreateUser", resource: "arn:aws:iam::1:user/x").verdict
                == .allowedConditionally)
    }

    @Test func anUnconditionalAllowBesideAConditionalOneIsUnconditional() throws {
        let granted = try permissions([
            "mfa": statement(
                "Allow", #""Action": "iam:*""#,
                condition: #"{"Bool": {"aws:SecureTransport": "true"}}"#),
            "plain": statement("Allow", #""Action": "iam:GetRole""#),
        ])
        #expect(granted.decision(action: "iam:GetRole", resource: nil).verdict == .allowed)
        #expect(
            granted.decision(action: "iam:PassRole", resource: nil).verdict == .allowedConditionally
        )
    }

    @Test func conditionalDenyDoesNotRemoveTheAction() throws {
        let granted = try permissions([
            "admin": Self.allowAll,
            "no-mfa": statement(
                "Deny", #""Action": "*""#,
                condition: #"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}"#),
        ])
        #expect(
            granted.decision(action: "ec2:RunInstances", resource: nil).verdict
                == .allowedConditionally)
        #expect(
            granted.decision(action: "ec2:RunInstances", resource: "arn:aws:ec2:::i").verdict
                == .allowedConditionally)
    }

    @Test func denyOnOneResourceMarksTheGrantPartiallyDenied() throws {
        let granted = try permissions([
            "s3": statement("Allow", #""Action": "s3:*""#),
            "keep-logs": statement(
                "Deny", #""Action": "s3:DeleteObject""#, #""Resource": "arn:aws:s3:::logs/*""#),
        ])
        let delete = granted.decision(action: "s3:DeleteObject", resource: nil)
        #expect(delete.verdict == .allowed)
        #expect(delete.isPartiallyDenied)
        #expect(!granted.decision(action: "s3:GetObject", resource: nil).isPartiallyDenied)
        #expect(
            granted.decision(action: "s3:DeleteObject", resource: "arn:aws:s3:::logs/2024/a")
                .verdict
                == .explicitlyDenied)
        #expect(
            granted.decision(action: "s3:DeleteObject", resource: "arn:aws:s3:::tmp/a").verdict
                == .allowed)
    }

    @Test func denyOnResourcesOutsideTheGrantChangesNothing() throws {
        let granted = try permissions([
            "a": statement(
                "Allow", #""Action": "s3:GetObject""#, #""Resource": "arn:aws:s3:::a/*""#),
            "b": statement(
                "Deny", #""Action": "s3:GetObject""#, #""Resource": "arn:aws:s3:::b/*""#),
        ])
        let decision = granted.decision(action: "s3:GetObject", resource: nil)
        #expect(decision == PolicyDecision(verdict: .allowed, sources: ["a"]))
    }

    @Test func boundaryIntersectsWithIdentityPolicies() throws {
        let granted = try permissions(
            ["admin": Self.allowAll], boundary: statement("Allow", #""Action": "s3:*""#))
        #expect(granted.decision(action: "s3:GetObject", resource: nil).verdict == .allowed)
        let outside = granted.decision(action: "iam:CreateUser", resource: nil)
        #expect(outside == PolicyDecision(verdict: .implicitlyDenied, isOutsideBoundary: true))
        #expect(
            granted.decision(action: "iam:CreateUser", resource: "arn:aws:iam::1:user/x")
                == PolicyDecision(verdict: .implicitlyDenied, isOutsideBoundary: true))
    }

    @Test func boundaryNeverGrantsOnItsOwn() throws {
        let granted = try permissions(
            ["s3": statement("Allow", #""Action": "s3:GetObject""#)],
            boundary: Self.allowAll)
        #expect(granted.decision(action: "s3:GetObject", resource: nil).verdict == .allowed)
        let missing = granted.decision(action: "ec2:RunInstances", resource: nil)
        #expect(missing == PolicyDecision(verdict: .implicitlyDenied))
    }

    @Test func denyInTheBoundaryDenies() throws {
        let boundary = """
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                           {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}
            """
        let granted = try permissions(["admin": Self.allowAll], boundary: boundary)
        let decision = granted.decision(action: "iam:PassRole", resource: nil)
        #expect(
            decision == PolicyDecision(verdict: .explicitlyDenied, sources: ["boundary:Boundary"]))
    }

    @Test func boundaryOnOtherResourcesLeavesNothing() throws {
        let granted = try permissions(
            [
                "a": statement(
                    "Allow", #""Action": "s3:GetObject""#, #""Resource": "arn:aws:s3:::a/*""#)
            ],
            boundary: statement("Allow", #""Action": "s3:*""#, #""Resource": "arn:aws:s3:::b/*""#))
        #expect(
            granted.decision(action: "s3:GetObject", resource: nil)
                == PolicyDecision(verdict: .implicitlyDenied, isOutsideBoundary: true))
    }

    @Test func conditionalBoundaryMakesTheGrantConditional() throws {
        let granted = try permissions(
            ["admin": Self.allowAll],
            boundary: statement(
                "Allow", #""Action": "*""#,
                condition: #"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#))
        #expect(
            granted.decision(action: "s3:GetObject", resource: nil).verdict == .allowedConditionally
        )
    }

    @Test func emptyResourceListAllowsNothing() throws {
        let granted = try permissions([
            "p": statement("Allow", #""Action": "*""#, #""Resource": []"#)
        ])
        #expect(
            granted.decision(action: "s3:GetObject", resource: nil).verdict == .implicitlyDenied)
    }

    @Test func policyVariablesNeedTheCurrentVersion() throws {
        let resource = #""Resource": "arn:aws:s3:::home/${aws:username}/*""#
        let current = try permissions([
            "p": statement("Allow", #""Action": "s3:GetObject""#, resource)
        ])
        let old = try permissions([
            "p": statement("Allow", #""Action": "s3:GetObject""#, resource)
                .replacingOccurrences(of: "2012-10-17", with: "2008-10-17")
        ])
        #expect(
            current.decision(action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/a").verdict
                == .allowed)
        #expect(
            old.decision(action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/a").verdict
                == .implicitlyDenied)
        #expect(
            old.decision(action: "s3:GetObject", resource: "arn:aws:s3:::home/${aws:username}/a")
                .verdict == .allowed)
    }
}

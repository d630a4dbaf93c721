import Foundation

/// `--policy ARN=FILE`: one policy document for one principal, without a full export.
package struct PolicyFileInput: Equatable, Sendable {
    /// The role or user the document belongs to.
    package var principalArn: String
    /// The document file.
    package var path: String

    /// A principal and its file.
    package init(principalArn: String, path: String) {
        self.principalArn = principalArn
        self.path = path
    }

    /// Splits `ARN=FILE`.
    ///
    /// Role names may contain `=`, and so may file names, so when there are several `=` the
    /// first split whose file exists wins; otherwise the first `=` splits. Returns nil when
    /// the text is not `arn:...=FILE`.
    package init?(
        argument: String,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        let splits = argument.indices.filter { argument[$0] == "=" }.compactMap {
            index -> (String, String)? in
            let arn = String(argument[..<index])
            let path = String(argument[argument.index(after: index)...])
            return arn.hasPrefix("arn:") && !path.isEmpty ? (arn, path) : nil
        }
        guard let (arn, path) = splits.first(where: { fileExists($0.1) }) ?? splits.first else {
            return nil
        }
        self.init(principalArn: arn, path: path)
    }

    /// Reads the file and builds the principal's permissions from it (no boundary).
    ///
    /// Takes a bare document in any of the three encodings, and also the output of
    /// `aws iam get-role-policy` (`PolicyDocument`) or `get-policy-version`
    /// (`PolicyVersion.Document`).
    package func effectivePermissions() throws(PolicyError) -> EffectivePermissions {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PolicyError(policy: path, .unreadableFile(error.localizedDescription))
        }
        let document = try Self.document(in: data, policy: path)
        return EffectivePermissions(
            principalArn: principalArn,
            policies: [(PolicySource(name: name, kind: .file), document)])
    }

    /// The document in a file's bytes, unwrapping the AWS CLI's single-policy outputs.
    static func document(in data: Data, policy: String) throws(PolicyError) -> PolicyDocument {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let document = object["PolicyDocument"] {
                return try PolicyDocument(jsonValue: document, policy: policy)
            }
            if let version = object["PolicyVersion"] as? [String: Any],
                let document = version["Document"]
            {
                return try PolicyDocument(jsonValue: document, policy: policy)
            }
        }
        return try PolicyDocument(data: data, policy: policy)
    }
}

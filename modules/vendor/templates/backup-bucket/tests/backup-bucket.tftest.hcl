# command = plan, not apply: the bucket carries prevent_destroy, so the test's
# teardown (a destroy) would be refused. The policies are known at plan time.
mock_provider "aws" {}

variables {
  account_id      = "777788889999"
  region          = "eu-west-1"
  bucket_name     = "acme-dynamodb-backups"
  organization_id = "o-a1b2c3d4e5"
  encryption      = "sse-kms"
  sources = [
    { name = "shop", account_id = "123456789012", method = "native-export" },
    { name = "legacy", account_id = "111111111111", method = "data-pipeline" },
  ]
}

run "each_source_writes_only_under_its_own_prefix" {
  command = plan

  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Sid == "Shop123456789012WriteOwnPrefix"][0] == ["arn:aws:s3:::acme-dynamodb-backups/123456789012/*"]
    error_message = "shop writes under 123456789012/ only"
  }
  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Condition.ArnEquals["aws:PrincipalArn"] if s.Sid == "Shop123456789012WriteOwnPrefix"][0] == "arn:aws:iam::123456789012:role/snowplow-backup-writer"
    error_message = "only shop's writer role"
  }
  assert {
    condition     = length([for s in jsondecode(output.bucket_policy_json).Statement : s if s.Sid == "Shop123456789012DeleteScratchObjects"]) == 0
    error_message = "native export deletes nothing"
  }
  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Sid == "Legacy111111111111DeleteScratchObjects"][0] == ["arn:aws:s3:::acme-dynamodb-backups/111111111111/*.instruction", "arn:aws:s3:::acme-dynamodb-backups/111111111111/*/logs/*", "arn:aws:s3:::acme-dynamodb-backups/111111111111/*_$folder$"]
    error_message = "data pipeline deletes only scratch objects under its prefix"
  }
  assert {
    condition     = jsondecode(output.bucket_policy_json).Statement[0].Sid == "DenyInsecureTransport"
    error_message = "TLS only"
  }
  assert {
    condition     = aws_s3_bucket.this.force_destroy == false && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "no force_destroy, no public access"
  }
}

run "admit_organization_confines_by_account_variable" {
  command = plan

  variables {
    admit = "organization"
  }

  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Sid == "NativeExportSnowplowBackupWriterWriteOwnPrefix"][0] == ["arn:aws:s3:::acme-dynamodb-backups/$${aws:PrincipalAccount}/*"]
    error_message = "objects are named with the caller's account id"
  }
}

run "rejects_an_ip_shaped_bucket_name" {
  command = plan

  variables {
    bucket_name = "192.168.1.1"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_a_malformed_source_account" {
  command = plan

  variables {
    sources = [{ name = "shop", account_id = "12345", method = "native-export" }]
  }

  expect_failures = [var.sources]
}

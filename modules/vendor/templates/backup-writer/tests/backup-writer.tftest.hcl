mock_provider "aws" {
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  override_data {
    target = data.aws_dynamodb_table.exported["orders"]
    values = { point_in_time_recovery = [{ enabled = true, recovery_period_in_days = 35 }] }
  }
}

variables {
  account_id        = "123456789012"
  region            = "eu-west-1"
  backup_account_id = "777788889999"
  backup_region     = "eu-west-1"
  bucket_name       = "acme-dynamodb-backups"
  tables            = ["orders"]
  kms_encrypted     = true
}

run "native_export_exports_named_tables_into_its_own_prefix" {
  command = apply

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]
    error_message = "exports only the named tables"
  }
  assert {
    condition     = jsondecode(output.policy_json).Statement[2].Resource == ["arn:aws:s3:::acme-dynamodb-backups/123456789012/*"]
    error_message = "writes under its own prefix only"
  }
  assert {
    condition     = output.role_name == "snowplow-backup-writer"
    error_message = "native export creates the writer role"
  }
}

run "data_pipeline_deletes_only_scratch_objects" {
  command = apply

  variables {
    method = "data-pipeline"
    tables = []
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "DeleteScratchObjects"][0] == ["arn:aws:s3:::acme-dynamodb-backups/123456789012/*.instruction", "arn:aws:s3:::acme-dynamodb-backups/123456789012/*/logs/*", "arn:aws:s3:::acme-dynamodb-backups/123456789012/*_$folder$"]
    error_message = "deletes only EMR scratch objects"
  }
  assert {
    condition     = output.role_name == "DataPipelineDefaultResourceRole" && length(aws_iam_role.writer) == 0
    error_message = "the policy goes on the existing Data Pipeline role"
  }
}

run "fails_on_a_table_without_point_in_time_recovery" {
  command = plan

  override_data {
    target = data.aws_dynamodb_table.exported["orders"]
    values = { point_in_time_recovery = [{ enabled = false, recovery_period_in_days = 0 }] }
  }

  expect_failures = [data.aws_dynamodb_table.exported["orders"]]
}

run "rejects_a_wildcard_table" {
  command = plan

  variables {
    tables = ["orders*"]
  }

  expect_failures = [var.tables]
}

run "enable_manages_only_point_in_time_recovery_of_each_table" {
  command = plan

  variables {
    enable_point_in_time_recovery = true
    table_keys = {
      orders = { hash_key = { name = "id", type = "S" }, range_key = { name = "at", type = "N" } }
    }
  }

  assert {
    condition     = aws_dynamodb_table.recovered["orders"].point_in_time_recovery[0].enabled && aws_dynamodb_table.recovered["orders"].hash_key == "id" && aws_dynamodb_table.recovered["orders"].range_key == "at"
    error_message = "the table is managed with point-in-time recovery on and its keys as given"
  }
  assert {
    condition     = length(data.aws_dynamodb_table.exported) == 0
    error_message = "enable replaces the plan-time check"
  }
}

run "enable_without_the_key_schema_fails_at_plan" {
  command = plan

  variables {
    enable_point_in_time_recovery = true
  }

  expect_failures = [aws_dynamodb_table.recovered]
}

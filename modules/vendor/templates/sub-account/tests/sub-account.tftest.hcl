# command = plan, not apply: the account carries prevent_destroy, so the test's
# teardown (a destroy) would be refused. The policy is known at plan time.
mock_provider "aws" {}

variables {
  name            = "snowplow-acme"
  email           = "aws-snowplow@example.com"
  parent_id       = "ou-ab12-cd34ef56"
  flow            = "both"
  allowed_regions = ["eu-west-1", "us-east-1"]
}

run "denies_services_outside_the_flow_and_regions" {
  command = plan

  assert {
    condition     = jsondecode(output.service_control_policy_json).Statement[0].Sid == "DenyServicesOutsideSnowplowFlow"
    error_message = "the first statement must deny services outside the flow"
  }
  assert {
    condition     = contains(jsondecode(output.service_control_policy_json).Statement[0].NotAction, "kinesis:*")
    error_message = "the both flow keeps Kinesis"
  }
  assert {
    condition     = !contains(jsondecode(output.service_control_policy_json).Statement[0].NotAction, "lambda:*")
    error_message = "Lambda is not a service of the flow"
  }
  assert {
    condition     = jsondecode(output.service_control_policy_json).Statement[1].Condition.StringNotEquals["aws:RequestedRegion"] == ["eu-west-1", "us-east-1"]
    error_message = "regions outside the allow list are denied"
  }
  assert {
    condition     = aws_organizations_account.this.close_on_deletion == false
    error_message = "a destroy must never close the account"
  }
}

run "batch_flow_has_no_kinesis_and_no_region_statement" {
  command = plan

  variables {
    flow            = "batch"
    allowed_regions = []
  }

  assert {
    condition     = !contains(jsondecode(output.service_control_policy_json).Statement[0].NotAction, "kinesis:*")
    error_message = "the batch flow has no Kinesis"
  }
  assert {
    condition     = length(jsondecode(output.service_control_policy_json).Statement) == 1
    error_message = "no region statement without allowed regions"
  }
}

run "rejects_a_malformed_email" {
  command = plan

  variables {
    email = "not-an-email"
  }

  expect_failures = [var.email]
}

run "rejects_an_unknown_flow" {
  command = plan

  variables {
    flow = "streaming"
  }

  expect_failures = [var.flow]
}
